/** The priority router: tickers by tier, with spill or refusal when a tier is full or down. */
package io.tickmux.routers.priority;
