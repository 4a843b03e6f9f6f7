package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.ByteRange.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

  private static final long LENGTH = 1000;

  @ParameterizedTest
  @CsvSource({
    "bytes=0-99, 0, 99",
    "bytes=100-, 100, 999",
    "bytes=-10, 990, 999",
    "bytes=-5000, 0, 999",
    "bytes=900-5000, 900, 999",
    "bytes=999-999, 999, 999",
    "'bytes= 5 - 9 ', 5, 9",
    "Bytes=0-0, 0, 0",
    "bytes=0-99999999999999999999999, 0, 999",
  })
  void of_singleRange_partial(String header, long first, long last) {
    ByteRange range = ByteRange.of(header, LENGTH);

    assertThat(range.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(range.first()).isEqualTo(first);
    assertThat(range.last()).isEqualTo(last);
    assertThat(range.contentRange(LENGTH)).isEqualTo("bytes " + first + "-" + last + "/" + LENGTH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=99999999999999999999-"})
  void of_startPastEnd_unsatisfiable(String header) {
    ByteRange range = ByteRange.of(header, LENGTH);

    assertThat(range.outcome()).isEqualTo(Outcome.UNSATISFIABLE);
    assertThat(range.contentRange(LENGTH)).isEqualTo("bytes */1000");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {
    "", "bytes=", "bytes=-", "bytes=abc", "bytes=5-1", "bytes=a-5", "bytes=1-b", "items=0-5",
    "bytes=0-1,5-6", "bytes=0-1, 3-", "bytes=--5", "bytes 0-5",
  })
  void of_absentMalformedOrMultiple_full(String header) {
    assertThat(ByteRange.of(header, LENGTH).outcome()).isEqualTo(Outcome.FULL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-", "bytes=-1", "bytes=0-0"})
  void of_emptyRepresentation_unsatisfiable(String header) {
    assertThat(ByteRange.of(header, 0).outcome()).isEqualTo(Outcome.UNSATISFIABLE);
  }
}
