/**
 * Benchmarks and load harnesses (JMH and hand-run): frame parsing, routing, per-event overhead,
 * rebalance, receipt latency, throughput. Not published. May depend on anything in the reactor,
 * internal packages included, since it measures them; nothing depends on it.
 */
package io.tickmux.benchmarks;
