package io.tickmux.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Which keys of a subtree nothing read. */
class ReadKeysTest {

    private static Config conf(String s) {
        return ConfigFactory.parseString(s).resolve();
    }

    @Test
    void everyLeafNothingReadIsUnreadInOrder() {
        ReadKeys keys = new ReadKeys();
        keys.read("b");
        keys.read("obj.x");
        assertThat(keys.unread(conf("c = 1, b = 2, a = 3, obj { y = 1, x = 2 }")))
                .containsExactly("a", "c", "obj.y");
    }

    @Test
    void onlyAFreeFormKeyAcceptsTheKeysBelowIt() {
        ReadKeys keys = new ReadKeys();
        keys.freeForm("map");
        keys.read("obj");
        assertThat(keys.unread(conf("map { a.b = 1, c = 2 }, obj { x = 1 }, mapx = 1")))
                .containsExactly("mapx", "obj.x");
    }

    @Test
    void anEmptyObjectIsUnreadUnlessItOrAKeyBelowItWasRead() {
        ReadKeys keys = new ReadKeys();
        keys.read("sectors");
        keys.read("limits.max");
        // Only top-level objects are looked at: a nested empty one is named by its top-level key.
        assertThat(keys.unread(conf("sectors = {}, limits = {}, sektors = {}, nested { e = {} }")))
                .containsExactly("nested", "sektors");
    }

    @Test
    void aForgottenKeyIsUnreadAgain() {
        ReadKeys keys = new ReadKeys();
        keys.read("a");
        keys.forget("a");
        assertThat(keys.unread(conf("a = 1"))).containsExactly("a");
    }

    @Test
    void theSuggestionIsTheClosestKeyRead() {
        ReadKeys keys = new ReadKeys();
        keys.read("max-size");
        keys.read("max-age");
        assertThat(keys.closestRead("max-sise")).isEqualTo("max-size");
        assertThat(keys.closestRead("unrelated")).isNull();
    }
}
