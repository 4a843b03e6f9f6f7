package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Typed values and their ranges: sizes, durations, ports, the {@code Via} token and the sizes that
 * depend on each other, with the message naming the key, the value and the expected form; then the
 * slice-fetching keys ({@code origins[].max-fetches}, {@code cache.read-ahead-slices},
 * {@code cache.finish-unwatched-fetches}).
 */
class ConfigValuesTest {

  // ---- values

  @Test
  void parse_badSize_failsShowingValueAndForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memory:\n    max-bytes: lots\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-bytes: \"lots\" (expected a size such as 512MiB)");
  }

  @Test
  void parse_sizeOutOfRange_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  slice-size: 32KiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.slice-size: \"32KiB\" (expected a size from 64KiB to 64MiB)");
  }

  @Test
  void parse_zeroMemory_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memory:\n    max-bytes: 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-bytes: 0 (expected a size greater than 0)");
  }

  @Test
  void parse_durationWithoutUnit_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  keep-alive: 60\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.keep-alive: 60 (expected a duration such as 10s or 500ms:"
            + " a whole number followed by ms, s, m, h or d)");
  }

  @Test
  void parse_badDuration_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "    connect-timeout: 5 seconds\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].connect-timeout: \"5 seconds\" (expected a duration such as 10s"
            + " or 500ms: a whole number followed by ms, s, m, h or d)");
  }

  @Test
  void parse_zeroTimeout_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  request-header: 0s\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.request-header: \"0s\" (expected a duration from 1ms to 1d)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "99999999999999999999"})
  void parse_portOutOfRange_failsShowingRange(String port) {
    assertThatThrownBy(() -> parse("admin:\n  port: " + port + "\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.port: " + port + " (expected an integer from 0 to 65535)");
  }

  @Test
  void parse_adminPortEqualsServerPort_fails() {
    assertThatThrownBy(() -> parse("server:\n  port: 9090\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.port: the default 9090"
            + " (expected a port other than server.port, 9090, which listens on the same address)");
  }

  @Test
  void parse_viaWithSpace_failsShowingTokenForm() {
    assertThatThrownBy(() -> parse("server:\n  via: my gateway\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.via: \"my gateway\" (expected an HTTP token:"
            + " letters, digits and !#$%&'*+-.^_`|~ only, such as textbook-gateway)");
  }

  @Test
  void parse_maxObjectBytesAboveMaxBytes_failsNamingBothKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + """
        cache:
          memory:
            max-bytes: 256MiB
            max-object-bytes: 1GiB
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-object-bytes: \"1GiB\""
            + " (expected a size no larger than cache.memory.max-bytes, 256MiB)");
  }

  @Test
  void parse_defaultMaxObjectBytesAboveMaxBytes_failsSayingItIsTheDefault() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memory:\n    max-bytes: 32MiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-object-bytes: the default 64MiB"
            + " (expected a size no larger than cache.memory.max-bytes, 32MiB)");
  }

  @Test
  void parse_intSizeAboveIntRange_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "limits:\n  max-header-bytes: 2GiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("limits.max-header-bytes: \"2GiB\" (expected a size from 1KiB to 2147483647)");
  }

  // ---- slice fetching

  @Test
  void parse_fetchKeysAbsent_giveDefaults() {
    GatewayConfig config = parse(ORIGINS);

    assertThat(config.origins().get(0).maxFetches()).isEqualTo(64);
    assertThat(config.cache().readAheadSlices()).isEqualTo(1);
    assertThat(config.cache().finishUnwatchedFetches()).isTrue();
  }

  @Test
  void parse_fetchKeysSet_readsValues() {
    GatewayConfig config = parse(ORIGINS + """
            max-fetches: 1024
        cache:
          read-ahead-slices: 16
          finish-unwatched-fetches: false
        """);

    assertThat(config.origins().get(0).maxFetches()).isEqualTo(1024);
    assertThat(config.cache().readAheadSlices()).isEqualTo(16);
    assertThat(config.cache().finishUnwatchedFetches()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1025", "1.5"})
  void parse_maxFetchesOutOfRange_failsShowingRange(String value) {
    assertThatThrownBy(() -> parse(ORIGINS + "    max-fetches: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].max-fetches: " + value + " (expected an integer from 1 to 1024)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "17", "true"})
  void parse_readAheadSlicesOutOfRange_failsShowingRange(String value) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  read-ahead-slices: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.read-ahead-slices: " + value + " (expected an integer from 0 to 16)");
  }

  @Test
  void parse_finishUnwatchedFetchesFromVariable_isTypedAfterSubstitution() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS
        + "cache:\n  finish-unwatched-fetches: ${FINISH:-true}\n", Map.of("FINISH", "false"));

    assertThat(config.cache().finishUnwatchedFetches()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"maybe | \"maybe\"", "1 | 1", "[true] | a list"})
  void parse_finishUnwatchedFetchesNotBoolean_failsShowingForm(String value, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  finish-unwatched-fetches: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.finish-unwatched-fetches: " + described + " (expected true or false)");
  }
}
