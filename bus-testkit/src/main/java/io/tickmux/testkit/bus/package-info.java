/**
 * Test support for code that talks to a bus: the NATS and Redis servers the tests run against (a
 * container, or the machine's services on loopback, never a silent skip) and a private NATS server
 * a test may stop and restart. Depends on jnats, Testcontainers, AssertJ and Awaitility; nothing of
 * tickmux, so any bus test can use it.
 */
package io.tickmux.testkit.bus;
