package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Environment variables in the configuration: {@code ${NAME}} and {@code ${NAME:-default}} are
 * substituted before the values are typed, an unset variable or an unterminated placeholder fails
 * naming its key, and a substituted value of the wrong type is shown as substituted.
 */
class ConfigVariablesTest {

  @Test
  void parse_setVariable_isSubstitutedBeforeTyping() {
    GatewayConfig config = ConfigLoader.parse("""
        server:
          port: ${GATEWAY_PORT}
        origins:
          - name: cloud
            url: http://${ORIGIN_HOST}:8000/${BASE}
        cache:
          memory:
            max-bytes: ${CACHE_SIZE}
        """, Map.of("GATEWAY_PORT", "8081", "ORIGIN_HOST", "cloud.example", "BASE", "v1",
        "CACHE_SIZE", "1GiB"));

    assertThat(config.server().port()).isEqualTo(8081);
    assertThat(config.origins().get(0).url()).isEqualTo(URI.create("http://cloud.example:8000/v1"));
    assertThat(config.cache().memory().maxBytes()).isEqualTo(1L << 30);
  }

  @Test
  void parse_unsetVariableWithDefault_usesDefault() {
    GatewayConfig config = ConfigLoader.parse("""
        server:
          port: ${GATEWAY_PORT:-8082}
          host: ${GATEWAY_HOST:-}127.0.0.1
        timeouts:
          shutdown: ${SHUTDOWN:-30s}
        """ + ORIGINS, Map.of());

    assertThat(config.server().port()).isEqualTo(8082);
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.timeouts().shutdown()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_setVariableWithDefault_usesVariable() {
    GatewayConfig config = ConfigLoader.parse("school: ${SCHOOL:-default}\n" + ORIGINS,
        Map.of("SCHOOL", "lycee-jeanne-d-arc"));

    assertThat(config.school()).isEqualTo("lycee-jeanne-d-arc");
  }

  @Test
  void parse_emptyVariableWithDefault_usesDefault() {
    GatewayConfig config = ConfigLoader.parse("school: ${SCHOOL:-default}\n" + ORIGINS,
        Map.of("SCHOOL", ""));

    assertThat(config.school()).isEqualTo("default");
  }

  @Test
  void parse_variableHoldingYaml_isTakenAsText() {
    GatewayConfig config = ConfigLoader.parse("school: ${SCHOOL}\n" + ORIGINS,
        Map.of("SCHOOL", "a: [b"));

    assertThat(config.school()).isEqualTo("a: [b");
  }

  @Test
  void parse_unsetVariable_failsNamingKeyAndVariable() {
    assertThatThrownBy(() -> parse("server:\n  port: ${GATEWAY_PORT}\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.port: environment variable GATEWAY_PORT is not set"
            + " (set it, or give a default as in ${GATEWAY_PORT:-value})");
  }

  @Test
  void parse_unterminatedPlaceholder_failsNamingKey() {
    assertThatThrownBy(() -> parse("school: ${SCHOOL\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("school: \"${SCHOOL\" has a ${ without its }"
            + " (expected ${NAME} or ${NAME:-default}, NAME made of letters, digits and _)");
  }

  @Test
  void parse_variableWithWrongType_failsShowingSubstitutedValue() {
    assertThatThrownBy(() -> ConfigLoader.parse("server:\n  port: ${PORT}\n" + ORIGINS,
        Map.of("PORT", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.port: \"http\" (expected an integer from 0 to 65535)");
  }
}
