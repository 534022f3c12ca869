/**
 * The router kit: helpers that router plugins share, such as picking the emptiest connection that
 * can accept a ticker. Depends on the router SPI ({@code io.tickmux.routing}) and the JDK only;
 * never on core. Kept out of the SPI so that what a router must implement stays small.
 */
package io.tickmux.routing.kit;
