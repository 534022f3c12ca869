/**
 * The transport to the Massive.com (formerly Polygon.io) real-time stocks WebSocket: Java-WebSocket
 * for the socket, Jackson streaming for the frames. Select it with {@code tickmux.app.transport =
 * massive}, or pass a {@link io.tickmux.transport.massive.MassiveTransportFactory} to the manager
 * builder, which makes its transport from the builder's configuration.
 */
package io.tickmux.transport.massive;
