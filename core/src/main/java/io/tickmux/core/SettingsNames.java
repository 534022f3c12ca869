package io.tickmux.core;

import java.util.Locale;

/** How tickmux spells enum values outside Java: kebab case. */
final class SettingsNames {
    private SettingsNames() {}

    static String kebab(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
