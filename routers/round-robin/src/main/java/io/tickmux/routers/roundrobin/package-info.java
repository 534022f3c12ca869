/** The round-robin router: even ticker counts, rebalanced with the fewest moves. */
package io.tickmux.routers.roundrobin;
