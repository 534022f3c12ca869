/**
 * The transport to the Massive.com (formerly Polygon.io) real-time stocks WebSocket: Java-WebSocket
 * for the socket, Jackson streaming for the frames. Select it with {@code tickmux.transport =
 * massive}, or pass a {@link io.tickmux.transport.massive.MassiveTransportFactory} to the manager
 * builder.
 */
package io.tickmux.transport.massive;
