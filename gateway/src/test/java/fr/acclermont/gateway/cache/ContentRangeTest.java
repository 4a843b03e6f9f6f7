package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(delimiter = '|', value = {
      "bytes 0-9/10 | 0 | 9 | 10",
      "bytes 0-0/1 | 0 | 0 | 1",
      "bytes 5-9/100 | 5 | 9 | 100",
      "bytes 1048576-2097151/5368709120 | 1048576 | 2097151 | 5368709120",
      "Bytes 0-9/10 | 0 | 9 | 10",
      "BYTES 0-9/10 | 0 | 9 | 10",
      "'bytes  0 - 9 / 10 ' | 0 | 9 | 10",
      "'bytes 0-9/10\t' | 0 | 9 | 10",
  })
  void parse_valid_positionsAndLength(String value, long first, long last, long length) {
    ContentRange range = ContentRange.parse(value);

    assertThat(range).isEqualTo(new ContentRange(first, last, length));
  }

  @Test
  void size_inclusiveRange_lastMinusFirstPlusOne() {
    assertThat(ContentRange.parse("bytes 0-0/1").size()).isEqualTo(1);
    assertThat(ContentRange.parse("bytes 10-19/100").size()).isEqualTo(10);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {
      "bytes 0-9/*", // unknown length: the bytes cannot be placed
      "bytes */10", // the unsatisfied-range form
      "bytes */*",
      "bytes 9-0/10", // last < first
      "bytes 5-4/10",
      "bytes 0-10/10", // length <= last
      "bytes 0-9/9",
      "bytes 0-9/0",
      "bytes=0-9/10", // the request's syntax, not the response's
      "bytes0-9/10",
      "items 0-9/10",
      "bytes 0-9",
      "bytes 0/10",
      "bytes 09/10",
      "bytes -9/10",
      "bytes -1-9/10",
      "bytes 0--1/10",
      "bytes 0-9/-1",
      "bytes a-9/10",
      "bytes 0-b/10",
      "bytes 0-9/c",
      "bytes 0-9/10/20",
      "bytes 0-9/10, bytes 20-29/30",
      "bytes 99999999999999999999-99999999999999999999/99999999999999999999",
      "bytes ",
      "bytes",
      "",
      " bytes 0-9/10",
  })
  void parse_malformedOrInconsistent_null(String value) {
    assertThat(ContentRange.parse(value)).isNull();
  }

  @Test
  void parse_absent_null() {
    assertThat(ContentRange.parse(null)).isNull();
  }
}
