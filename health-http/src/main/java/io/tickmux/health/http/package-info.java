/**
 * The health HTTP module: the seed's REST endpoints, liveness and readiness, Prometheus metrics and
 * a live dashboard, on Javalin. Start it with {@link io.tickmux.health.http.HealthServer#start}.
 */
package io.tickmux.health.http;
