/**
 * Sinks: where the manager's accepted events go besides the tick listener ({@link
 * io.tickmux.core.sink.EventSink}). Depends on the event model only.
 */
package io.tickmux.core.sink;
