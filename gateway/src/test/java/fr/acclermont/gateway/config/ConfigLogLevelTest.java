package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The top-level key {@code log-level}: the root logger's level, or null to leave it. */
class ConfigLogLevelTest {

  @ParameterizedTest
  @CsvSource({"error, ERROR", "warn, WARN", "info, INFO", "debug, DEBUG", "trace, TRACE",
      "DEBUG, DEBUG", "Warn, WARN"})
  void parse_logLevel_readsItInAnyCase(String text, LogLevel level) {
    assertThat(parse("log-level: " + text + "\n" + ORIGINS).logLevel()).isEqualTo(level);
  }

  @Test
  void parse_noLogLevel_isNull() {
    assertThat(parse(ORIGINS).logLevel()).isNull();
  }

  @Test
  void parse_emptyLogLevel_isNull() {
    assertThat(parse("log-level:\n" + ORIGINS).logLevel()).isNull();
  }

  @Test
  void parse_logLevelFromVariable_readsIt() {
    GatewayConfig config = ConfigLoader.parse("log-level: ${LEVEL:-info}\n" + ORIGINS, Map.of("LEVEL", "trace"));

    assertThat(config.logLevel()).isEqualTo(LogLevel.TRACE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"verbose", "\"\"", "warning", "3", "true"})
  void parse_badLogLevel_failsNamingKey(String text) {
    assertThatThrownBy(() -> parse("log-level: " + text + "\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("log-level: ")
        .hasMessageEndingWith(" (expected one of error, warn, info, debug, trace)")
        .hasMessageNotContaining("\n");
  }

  @Test
  void parse_listLogLevel_fails() {
    assertThatThrownBy(() -> parse("log-level: [debug]\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("log-level: a list (expected one of error, warn, info, debug, trace)");
  }

  @Test
  void check_badLogLevel_reportsItWithFileAndLine(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"),
        "school: s1\nlog-level: loud\n" + ORIGINS + "cache: { slice-size: 1 }\n");

    ConfigCheck check = ConfigLoader.check(file, Map.of());

    assertThat(check.errors()).hasSize(2);
    assertThat(check.errors().get(0)).isEqualTo(
        file + ":2: log-level: \"loud\" (expected one of error, warn, info, debug, trace)");
    assertThat(check.errors().get(1)).startsWith(file + ":6: cache.slice-size: ");
    assertThat(check.config()).isNull();
  }

  @Test
  void check_goodLogLevel_givesConfigWithIt(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "log-level: debug\n" + ORIGINS);

    ConfigCheck check = ConfigLoader.check(file, Map.of());

    assertThat(check.errors()).isEmpty();
    assertThat(check.config().logLevel()).isEqualTo(LogLevel.DEBUG);
  }

  @Test
  void load_sameFileTwice_givesEqualConfigs(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "log-level: WARN\n" + ORIGINS);

    assertThat(ConfigLoader.load(file, Map.of())).isEqualTo(ConfigLoader.load(file, Map.of()));
  }
}
