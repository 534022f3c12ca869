package io.tickmux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.transport.ConnectionSpec;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionDefinitionTest {

    @Test
    void validatesIdAndCapacity() {
        assertThatThrownBy(() -> ConnectionDefinition.of("a b"))
                .hasMessageContaining("connection id 'a b' is invalid");
        assertThatThrownBy(() -> ConnectionDefinition.of("c1").withCapacity(0))
                .hasMessageContaining("must be positive");
        ConnectionDefinition d = ConnectionDefinition.of("c1").withName("primary");
        assertThat(d.name()).isEqualTo("primary");
        assertThat(new ConnectionDefinition("c1", " ", 5, null, null).name()).isEqualTo("c1");
        assertThat(new ConnectionDefinition("c1", null, 5, Set.of("x"), null).tags()).contains("x");
    }

    @Test
    void neverPrintsTransportSettings() {
        ConnectionDefinition d =
                new ConnectionDefinition(
                        "c1", "p", 5, Set.of(), ConfigFactory.parseString("api-key = SECRET123"));
        assertThat(d.toString()).doesNotContain("SECRET123");
        ConnectionSpec s = new ConnectionSpec("c1", null, d.transportSettings());
        assertThat(s.toString()).doesNotContain("SECRET123");
        assertThat(s.name()).isEqualTo("c1");
        assertThat(ConnectionSpec.of("c2").settings().isEmpty()).isTrue();
    }
}
