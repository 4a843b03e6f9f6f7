package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  static Stream<Arguments> canonical() {
    return Stream.of(
        Arguments.of("0s", Duration.ZERO),
        Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("1500ms", Duration.ofMillis(1500)),
        Arguments.of("10s", Duration.ofSeconds(10)),
        Arguments.of("90s", Duration.ofSeconds(90)),
        Arguments.of("5m", Duration.ofMinutes(5)),
        Arguments.of("2h", Duration.ofHours(2)),
        Arguments.of("36h", Duration.ofHours(36)),
        Arguments.of("1d", Duration.ofDays(1)),
        Arguments.of("400d", Duration.ofDays(400)));
  }

  @ParameterizedTest
  @MethodSource("canonical")
  void parse_canonicalText_returnsDuration(String text, Duration duration) {
    assertThat(Durations.parse(text)).isEqualTo(duration);
  }

  @ParameterizedTest
  @MethodSource("canonical")
  void format_duration_givesLargestExactUnit(String text, Duration duration) {
    assertThat(Durations.format(duration)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1000ms", "60s", "120m", "24h", "0ms", "0d"})
  void parse_nonCanonicalText_formatsInLargestUnit(String text) {
    Duration duration = Durations.parse(text);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    assertThat(Durations.format(duration)).isNotEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 999, 1000, 1001, 59_999, 60_000, 3_600_000, 86_400_000,
      86_400_001, Long.MAX_VALUE})
  void formatThenParse_anyMillis_roundTrips(long millis) {
    Duration duration = Duration.ofMillis(millis);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "ten", "-1s", "1.5s", "10 s", "10S", "1w", "1y", "10sec",
      "1m30s", "PT10S", "99999999999999999999s", "9223372036854775807d"})
  void parse_invalidDuration_failsShowingTextAndForm(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" (expected a duration such as 10s or 500ms:"
            + " a whole number followed by ms, s, m, h or d)");
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1, 999_999, 1_000_001})
  void format_negativeOrSubMillisecond_fails(long nanos) {
    assertThatThrownBy(() -> Durations.format(Duration.ofNanos(nanos)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("(expected: >= 0 and a whole number of milliseconds)");
  }
}
