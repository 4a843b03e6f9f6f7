package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code access-log} section: stdout by default, {@code off}, a file path (from a variable too),
 * the values refused, and {@link AccessLogConfig}'s own checks.
 */
class ConfigAccessLogTest {

  @Test
  void parse_accessLogAbsent_isStdout() {
    AccessLogConfig accessLog = parse(ORIGINS).accessLog();

    assertThat(accessLog).isEqualTo(AccessLogConfig.STDOUT);
    assertThat(accessLog.destination()).isEqualTo(AccessLogConfig.Destination.STDOUT);
    assertThat(accessLog.enabled()).isTrue();
    assertThat(accessLog.file()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"access-log:\n", "access-log: {}\n", "access-log: { path: ~ }\n",
      "access-log: { path: stdout }\n", "access-log: { path: STDOUT }\n"})
  void parse_accessLogStdoutOrWithoutPath_isStdout(String accessLog) {
    assertThat(parse(ORIGINS + accessLog).accessLog()).isEqualTo(AccessLogConfig.STDOUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "\"off\"", "Off", "OFF", "\"OFF\"", "no", "false", "\"false\""})
  void parse_accessLogOff_isOff(String path) {
    AccessLogConfig accessLog = parse(ORIGINS + "access-log: { path: " + path + " }\n").accessLog();

    assertThat(accessLog).isEqualTo(AccessLogConfig.OFF);
    assertThat(accessLog.enabled()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/var/log/textbook-gateway/access.log | /var/log/textbook-gateway/access.log",
      "logs/access.log | logs/access.log",
      "./off | ./off",
      "./stdout | ./stdout"})
  void parse_accessLogFile_readsPath(String path, String expected) {
    AccessLogConfig accessLog = parse(ORIGINS + "access-log:\n  path: " + path + "\n").accessLog();

    assertThat(accessLog).isEqualTo(AccessLogConfig.file(Path.of(expected)));
    assertThat(accessLog.destination()).isEqualTo(AccessLogConfig.Destination.FILE);
  }

  @Test
  void parse_accessLogPathFromVariable_isSubstituted() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS + "access-log: { path: \"${ACCESS_LOG:-stdout}\" }\n",
        Map.of("ACCESS_LOG", "/srv/log/access.log"));

    assertThat(config.accessLog()).isEqualTo(AccessLogConfig.file(Path.of("/srv/log/access.log")));
  }

  @Test
  void parse_accessLogPathFromUnsetVariableWithDefault_usesDefault() {
    GatewayConfig config =
        ConfigLoader.parse(ORIGINS + "access-log: { path: \"${ACCESS_LOG:-off}\" }\n", Map.of());

    assertThat(config.accessLog()).isEqualTo(AccessLogConfig.OFF);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "'' | \"\"", "'  ' | \"  \"", "\"a\\nb\" | \"a\\nb\"", "[/a, /b] | a list", "{ file: x } | a map",
      "on | true", "true | true", "\"TRUE\" | \"TRUE\""})
  void parse_badAccessLogPath_failsShowingForm(String path, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "access-log:\n  path: " + path + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("access-log.path: " + described + " (expected stdout, off, or a file path such as"
            + " /var/log/textbook-gateway/access.log)");
  }

  @Test
  void parse_unknownAccessLogKey_failsListingKnownKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + "access-log: { path: stdout, format: json }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("access-log.format: unknown key (expected one of: path)");
  }

  @Test
  void parse_accessLogNotAMap_failsListingKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + "access-log: /var/log/access.log\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("access-log: \"/var/log/access.log\" (expected a map with keys: path)");
  }

  @Test
  void accessLogConfig_fileWithoutFileDestination_refused() {
    assertThatThrownBy(() -> new AccessLogConfig(AccessLogConfig.Destination.STDOUT, Path.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccessLogConfig(AccessLogConfig.Destination.FILE, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
