/**
 * The fake Massive server: a real WebSocket server on loopback that speaks the Massive protocol
 * (and a fake of its REST API), for tests of anything that talks to Massive. Depends on the SPI's
 * event model, Java-WebSocket, Jackson, the JDK's HTTP server and slf4j; never on the manager.
 */
package io.tickmux.fake;
