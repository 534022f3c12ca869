/**
 * The backfill SPI: a {@link io.tickmux.spi.backfill.BackfillHook} fetches what a gap lost (e.g.
 * from Massive's REST API) and hands it to the listener; {@link
 * io.tickmux.spi.backfill.BackfillHookFactory} makes one from configuration and is found with
 * {@link java.util.ServiceLoader}. Depends on the event model and Typesafe Config only.
 */
package io.tickmux.spi.backfill;
