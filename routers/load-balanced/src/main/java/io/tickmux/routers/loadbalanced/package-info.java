/** The load-balanced router: balances measured message volume within a move budget. */
package io.tickmux.routers.loadbalanced;
