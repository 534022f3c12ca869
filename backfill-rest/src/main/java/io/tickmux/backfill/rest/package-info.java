/**
 * A backfill hook that fetches a gap's trades and quotes from the Massive REST API ({@code
 * tickmux.backfill = rest}). Its API is the factory and settings; it depends on core's API packages
 * and Typesafe Config, and keeps the HTTP client in {@code internal}.
 */
package io.tickmux.backfill.rest;
