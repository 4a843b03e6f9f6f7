package fr.acclermont.gateway.config;

import java.util.Map;

/**
 * What the {@link ConfigLoader} tests share: {@link #ORIGINS}, the smallest valid origins section,
 * and {@link #parse} without environment variables.
 */
final class ConfigYaml {

  static final String ORIGINS = """
      origins:
        - name: cloud
          url: http://127.0.0.1:8000
      """;

  private ConfigYaml() {
  }

  static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, Map.of());
  }
}
