/**
 * Thread naming for the host and its plugins: {@link io.tickmux.spi.concurrent.Threads#named} gives
 * every thread an owner's name ({@code tickmux-<owner>-<n>}). Depends on the JDK only.
 */
package io.tickmux.spi.concurrent;
