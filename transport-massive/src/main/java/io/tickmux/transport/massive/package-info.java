/**
 * The transport to the Massive.com (formerly Polygon.io) real-time stocks WebSocket.
 *
 * <p>Not built yet: this module is a skeleton so the module layout is fixed. Until it lands, run
 * tickmux on the mock transport ({@code tickmux-transport-mock}).
 */
package io.tickmux.transport.massive;
