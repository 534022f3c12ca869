/** The sector router: tickers by sector, sectors from metadata, HOCON or a CSV file. */
package io.tickmux.routers.sector;
