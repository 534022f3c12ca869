/**
 * Record and replay: a transport that wraps another and records what every connection received, and
 * a transport ({@code replay}) that plays such a recording through the manager. Its API is the two
 * factories, their settings and reports; it depends on core's API, config and transport packages,
 * and keeps the file format and the player in {@code internal}.
 */
package io.tickmux.transport.replay;
