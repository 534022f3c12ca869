/**
 * Record and replay's implementation: the recording format and its reader, the recorder's writer
 * thread, the player and its pacing. Not API: only {@code io.tickmux.transport.replay} may use it.
 * May depend on core's API, transport and event packages, the wire format and slf4j.
 */
package io.tickmux.transport.replay.internal;
