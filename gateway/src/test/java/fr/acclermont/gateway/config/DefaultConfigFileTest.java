package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks that {@code config/gateway.yaml} documents every key with exactly the defaults. */
class DefaultConfigFileTest {

  /** Surefire runs in the gateway module's directory. */
  private static final Path DEFAULT_FILE = Path.of("../config/gateway.yaml");

  /** The documented defaults, written out value by value. */
  static final GatewayConfig DOCUMENTED_DEFAULTS = new GatewayConfig(
      "default",
      new ServerConfig("0.0.0.0", 8080, "textbook-gateway", 0),
      new AdminConfig("127.0.0.1", 9090),
      List.of(new OriginConfig("cloud", URI.create("http://127.0.0.1:8000"), List.of("/"),
          Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), 32, 64)),
      new CacheConfig("edge", new MemoryConfig(512L << 20, 64L << 20), 1L << 20, 1, true),
      new LimitsConfig(8 << 10, 16 << 10, 100, 10L << 20),
      new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10)));

  @Test
  void load_defaultFile_givesDocumentedDefaults() {
    assertThat(ConfigLoader.load(DEFAULT_FILE, Map.of())).isEqualTo(DOCUMENTED_DEFAULTS);
  }

  @Test
  void withDefaults_cloudOrigin_givesDocumentedDefaults() {
    GatewayConfig config = GatewayConfig.withDefaults(
        List.of(OriginConfig.withDefaults("cloud", URI.create("http://127.0.0.1:8000"))));

    assertThat(config).isEqualTo(DOCUMENTED_DEFAULTS);
  }

  @Test
  void defaultFile_everyKey_isWrittenOut() throws IOException {
    JsonNode root = new YAMLMapper().readTree(DEFAULT_FILE.toFile());

    assertThat(leafPaths(root, "")).containsExactly(
        "school",
        "server.host", "server.port", "server.via", "server.io-threads",
        "admin.host", "admin.port",
        "origins[0].name", "origins[0].url", "origins[0].paths[0]",
        "origins[0].connect-timeout", "origins[0].response-timeout", "origins[0].idle-timeout",
        "origins[0].max-idle-connections", "origins[0].max-fetches",
        "cache.name", "cache.memory.max-bytes", "cache.memory.max-object-bytes",
        "cache.slice-size", "cache.read-ahead-slices", "cache.finish-unwatched-fetches",
        "limits.max-request-line", "limits.max-header-bytes", "limits.max-headers",
        "limits.max-body-bytes",
        "timeouts.request-header", "timeouts.keep-alive", "timeouts.shutdown");
  }

  private static List<String> leafPaths(JsonNode node, String path) {
    List<String> paths = new ArrayList<>();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String key = field.getKey();
        paths.addAll(leafPaths(field.getValue(), path.isEmpty() ? key : path + "." + key));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        paths.addAll(leafPaths(node.get(i), path + "[" + i + "]"));
      }
    } else {
      paths.add(path);
    }
    return paths;
  }
}
