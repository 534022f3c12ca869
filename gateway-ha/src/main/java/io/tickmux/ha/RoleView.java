package io.tickmux.ha;

import io.tickmux.app.GatewayRole;
import io.tickmux.ha.internal.LeaseFence;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The role as the health server shows it: active while the running application's lease is valid,
 * healthy while the lease store answers, and the {@code ha} object of the health JSON (holder,
 * epoch, lease, switchovers, losses).
 */
final class RoleView implements GatewayRole {

    private final HaSettings settings;
    private final LeaseKeeper keeper;
    private final Applications apps;

    RoleView(HaSettings settings, LeaseKeeper keeper, Applications apps) {
        this.settings = settings;
        this.keeper = keeper;
        this.apps = apps;
    }

    @Override
    public boolean active() {
        LeaseFence f = apps.activeFence();
        return f != null && f.valid();
    }

    @Override
    public boolean healthy() {
        return keeper.reachable();
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean a = active();
        m.put("role", a ? "active" : "standby");
        m.put("gateway", settings.gatewayId());
        String holder = keeper.holder();
        m.put("holder", holder.isEmpty() ? null : holder);
        m.put("epoch", keeper.holderEpoch());
        m.put("lease_store_reachable", keeper.reachable());
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("store", "nats-kv");
        l.put("bucket", settings.bucket());
        l.put("key", settings.key());
        l.put("ttl_ms", settings.ttl().toMillis());
        LeaseFence f = apps.activeFence();
        if (a && f != null) {
            l.put("valid_for_ms", (f.deadlineNanos() - System.nanoTime()) / 1_000_000L);
        }
        m.put("lease", l);
        m.put("switchovers", keeper.switchovers());
        m.put("leases_lost", keeper.losses());
        String lastLost = keeper.lastLost();
        m.put("last_lost", lastLost.isEmpty() ? null : lastLost);
        Switchover s = apps.lastSwitchover();
        m.put("last_switchover", s == null ? null : s.toMap());
        return m;
    }
}
