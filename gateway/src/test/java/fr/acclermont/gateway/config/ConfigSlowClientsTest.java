package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The slow-client keys: {@code timeouts.request-body-min-rate}, {@code timeouts.request-body-rate-window}
 * and {@code timeouts.idle-write}; their defaults, forms and ranges, a bad value named in one line.
 */
class ConfigSlowClientsTest {

  @Test
  void absent_giveDefaults() {
    TimeoutsConfig timeouts = parse(ORIGINS).timeouts();
    assertThat(timeouts.requestBodyMinRate()).isEqualTo(1024);
    assertThat(timeouts.requestBodyRateWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(timeouts.idleWrite()).isEqualTo(Duration.ofSeconds(60));
  }

  @ParameterizedTest
  @CsvSource({"1KiB/s, 1024", "1KiB, 1024", "512/s, 512", "0, 0", "2MiB/s, 2097152"})
  void minRate_sizePerSecond(String value, long bytesPerSecond) {
    assertThat(parse(ORIGINS + "timeouts:\n  request-body-min-rate: " + value + "\n").timeouts()
        .requestBodyMinRate()).isEqualTo(bytesPerSecond);
  }

  @Test
  void windowAndIdleWrite_parsed() {
    TimeoutsConfig timeouts = parse(ORIGINS + "timeouts:\n  request-body-rate-window: 1s\n  idle-write: 500ms\n")
        .timeouts();
    assertThat(timeouts.requestBodyRateWindow()).isEqualTo(Duration.ofSeconds(1));
    assertThat(timeouts.idleWrite()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void minRate_notARate_failsNamingTheKey() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  request-body-min-rate: fast\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.request-body-min-rate: \"fast\" (expected a rate such as 1KiB/s)");
  }

  @Test
  void minRate_tooHigh_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  request-body-min-rate: 2GiB/s\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.request-body-min-rate: \"2GiB/s\" (expected a rate from 0/s to 1GiB/s)");
  }

  @Test
  void window_zero_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  request-body-rate-window: 0s\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.request-body-rate-window: \"0s\" (expected a duration from 1ms to 1d)");
  }

  @Test
  void idleWrite_withoutUnit_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  idle-write: 60\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.idle-write: 60 (expected a duration such as 10s or 500ms:"
            + " a whole number followed by ms, s, m, h or d)");
  }
}
