/**
 * Example: an application on another host that reads the feed a gateway publishes, with the
 * consumer module. Uses public API only (the consumer and core's event model), as a user would.
 */
package io.tickmux.examples.consumer;
