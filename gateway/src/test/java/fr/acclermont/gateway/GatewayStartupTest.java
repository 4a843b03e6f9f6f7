package fr.acclermont.gateway;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.testing.TestGateways;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up refuses what cannot work on this JVM, with one line naming the key. */
class GatewayStartupTest {

  @Test
  void checkDirectMemory_tierLargerThanDirectMemoryAllows_refusedNamingTheKey() {
    assertThatThrownBy(() -> Gateway.checkDirectMemory(1L << 30, 1L << 30))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cache.memory.max-bytes: ")
        .hasMessageContaining("-XX:MaxDirectMemorySize");
  }

  @Test
  void checkDirectMemory_tierWithinShare_accepted() {
    assertThatNoException().isThrownBy(() -> Gateway.checkDirectMemory(512L << 20, 1L << 30));
  }

  @Test
  void start_memoryTierOverThisJvmsDirectMemory_refused() {
    // Surefire runs with -XX:MaxDirectMemorySize=1g.
    String yaml = TestGateways.yaml(URI.create("http://127.0.0.1:1"), "").replace("max-bytes: 256MiB", "max-bytes: 2GiB");
    assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(yaml, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cache.memory.max-bytes: ");
  }

  @Test
  void start_portInUse_refusedWithTheAddress() {
    try (Gateway first = TestGateways.start(URI.create("http://127.0.0.1:1"))) {
      String yaml = TestGateways.yaml(URI.create("http://127.0.0.1:1"), "")
          .replace("server: { host: 127.0.0.1, port: 0 }", "server: { host: 127.0.0.1, port: " + first.port() + " }");
      assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(yaml, Map.of())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + first.port());
    }
  }
}
