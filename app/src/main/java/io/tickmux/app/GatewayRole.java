package io.tickmux.app;

import java.util.Map;

/**
 * The role of a gateway in an active/standby pair, as the health server shows it: whether this
 * process holds the lease (and so the Massive connections), who holds it, the epoch, and the last
 * switchover. Given to an application with {@link Tickmux.Builder#role}; module {@code
 * tickmux-gateway-ha} provides it.
 *
 * <p>Implementations are thread-safe and cheap (read for every health request).
 */
public interface GatewayRole {

    /**
     * @return true while this gateway holds the lease and streams; false in standby
     */
    boolean active();

    /**
     * Whether this gateway could take over: in standby, its lease store answers. Readiness of a
     * standby follows it ("standby, healthy" is 200; a standby that cannot reach the lease store is
     * 503).
     *
     * @return true when healthy for its role
     */
    boolean healthy();

    /**
     * The role for the health JSON: {@code role}, {@code gateway}, {@code holder}, {@code epoch},
     * {@code last_switchover} and the details of the implementation; snake_case keys.
     *
     * @return an ordered map ready for JSON
     */
    Map<String, Object> toMap();
}
