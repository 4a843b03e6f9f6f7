package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BandwidthTest {

  @ParameterizedTest
  @CsvSource({
      "100mbit, 100000000, 100mbit",
      "10mbit, 10000000, 10mbit",
      "1gbit, 1000000000, 1gbit",
      "500kbit, 500000, 500kbit",
      "2.5mbit, 2500000, 2.5mbit",
      "100Mbit, 100000000, 100mbit",
      "1000kbit, 1000000, 1mbit"})
  void parse_rate_decimalBitsPerSecond(String text, long bitsPerSecond, String formatted) {
    Bandwidth bandwidth = Bandwidth.parse(text);

    assertThat(bandwidth.bitsPerSecond()).isEqualTo(bitsPerSecond);
    assertThat(bandwidth.bytesPerSecond()).isEqualTo(bitsPerSecond / 8);
    assertThat(bandwidth).hasToString(formatted);
    assertThat(Bandwidth.parse(bandwidth.toString())).isEqualTo(bandwidth);
  }

  @Test
  void parse_unlimited_noLimit() {
    assertThat(Bandwidth.parse("unlimited").isUnlimited()).isTrue();
    assertThat(Bandwidth.parse("unlimited")).isEqualTo(Bandwidth.unlimited()).hasToString("unlimited");
    assertThat(Bandwidth.parse("10mbit").isUnlimited()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fast", "100", "100mb", "100 mbit", "-1mbit", "mbit", ""})
  void parse_notARate_expectedFormInMessage(String text) {
    assertThatThrownBy(() -> Bandwidth.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" (expected e.g. 100mbit, 10mbit, 1gbit or unlimited)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0mbit", "0.5kbit", "101gbit"})
  void parse_outOfRange_rangeInMessage(String text) {
    assertThatThrownBy(() -> Bandwidth.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" (expected a rate from 1kbit to 100gbit, or unlimited)");
  }
}
