/**
 * REST health endpoints, Prometheus metrics and a live dashboard on Javalin.
 *
 * <p>Not built yet: this module is a skeleton so the module layout is fixed. Until it lands, {@link
 * io.tickmux.core.MultiConnectionManager#healthStatus()} and the manager's Micrometer registry give
 * the same data in-process.
 */
package io.tickmux.http;
