/**
 * The REST backfill's implementation: the HTTP client with its request budget, the page parser
 * (Jackson streaming) and key redaction. Not API: only {@code io.tickmux.backfill.rest} may use it.
 * May depend on core's API and event packages, Jackson and slf4j.
 */
package io.tickmux.backfill.rest.internal;
