/**
 * Example: a third-party router plugin that routes each ticker by a stable hash of its symbol.
 * Depends on the router SPI only (at provided scope), as any router plugin should.
 */
package com.example.tickmux.hashrouter;
