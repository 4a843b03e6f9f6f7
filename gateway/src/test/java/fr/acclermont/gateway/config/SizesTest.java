package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "1048576, 1048576",
      "64KiB, 65536",
      "512MiB, 536870912",
      "1GiB, 1073741824",
      "3000GiB, 3221225472000",
  })
  void parse_validSize_returnsBytes(String text, long bytes) {
    assertThat(Sizes.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "lots", "-1", "+1", "1.5MiB", "512 MiB", "512mib", "512MB", "1TiB",
      "10B", "99999999999999999999", "9000000000GiB"})
  void parse_invalidSize_failsShowingTextAndForm(String text) {
    assertThatThrownBy(() -> Sizes.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" (expected a size such as 512MiB)");
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "1, 1",
      "1000, 1000",
      "1536, 1536",
      "2048, 2KiB",
      "1048576, 1MiB",
      "1572864, 1536KiB",
      "536870912, 512MiB",
      "1073741824, 1GiB",
      "1099511627776, 1024GiB",
  })
  void format_bytes_givesLargestExactUnit(long bytes, String text) {
    assertThat(Sizes.format(bytes)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 1023, 1024, 1025, 65_536, 1_048_575, 1_048_576, 536_870_912,
      1_073_741_824, 1_073_741_825, 5L << 40, Long.MAX_VALUE})
  void formatThenParse_anySize_roundTrips(long bytes) {
    assertThat(Sizes.parse(Sizes.format(bytes))).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "7", "64KiB", "1MiB", "1536KiB", "512MiB", "2GiB"})
  void parseThenFormat_canonicalText_roundTrips(String text) {
    assertThat(Sizes.format(Sizes.parse(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE})
  void format_negative_fails(long bytes) {
    assertThatThrownBy(() -> Sizes.format(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes: " + bytes + " (expected: >= 0)");
  }
}
