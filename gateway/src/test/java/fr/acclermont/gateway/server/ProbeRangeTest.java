package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The probe's range, with slices of 1000 bytes unless a test says otherwise. */
class ProbeRangeTest {

  private static final int SLICE = 1000;
  private static final String FIRST_SLICE = "bytes=0-999";

  @Test
  void of_noRange_firstSlice() {
    assertThat(ProbeRange.of(new DefaultHttpHeaders(), SLICE)).isEqualTo(FIRST_SLICE);
  }

  @Test
  void of_noRangeOtherSliceSize_thatFirstSlice() {
    assertThat(ProbeRange.of(new DefaultHttpHeaders(), 1 << 20)).isEqualTo("bytes=0-1048575");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      // inside one slice: as asked
      "bytes=0-0, bytes=0-0",
      "bytes=100-199, bytes=100-199",
      "bytes=0-999, bytes=0-999",
      "bytes=1500-1600, bytes=1500-1600",
      "bytes=1000-1999, bytes=1000-1999",
      "bytes=999-999, bytes=999-999",
      // crossing a slice boundary: cut at the end of the first byte's slice
      "bytes=900-1100, bytes=900-999",
      "bytes=999-1000, bytes=999-999",
      "bytes=0-1000, bytes=0-999",
      "bytes=1000-5000, bytes=1000-1999",
      "bytes=2500-2999999, bytes=2500-2999",
      // open: to the end of the slice
      "bytes=0-, bytes=0-999",
      "bytes=2500-, bytes=2500-2999",
      "bytes=1999-, bytes=1999-1999",
      // suffix: the last min(n, slice) bytes
      "bytes=-1, bytes=-1",
      "bytes=-100, bytes=-100",
      "bytes=-999, bytes=-999",
      "bytes=-1000, bytes=-1000",
      "bytes=-1001, bytes=-1000",
      "bytes=-5000, bytes=-1000",
      "bytes=-99999999999999999999, bytes=-1000",
      // the unit's case and spaces do not matter; the probe is written canonically
      "Bytes=100-199, bytes=100-199",
      "BYTES=-100, bytes=-100",
      "'bytes= 100 - 1199 ', bytes=100-999",
      "'bytes= -100', bytes=-100",
  })
  void of_singleRange_atMostOneSliceOfIt(String range, String expected) {
    assertThat(ProbeRange.of(headers(range), SLICE)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "bytes=5368709120-, bytes=5368709120-5369757695",
      "bytes=5368709120-5368709129, bytes=5368709120-5368709129",
      "bytes=5369757695-5369757696, bytes=5369757695-5369757695",
      "bytes=-2097152, bytes=-1048576",
  })
  void of_offsetsBeyondFourGiB_longArithmetic(String range, String expected) {
    assertThat(ProbeRange.of(headers(range), 1 << 20)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {
      "bytes=0-10,20-30", // several ranges: answered whole
      "bytes=0-10, 20-30",
      "bytes=-10,0-5",
      "bytes=abc",
      "bytes=a-b",
      "bytes=5-2", // last < first
      "bytes=5",
      "bytes=",
      "bytes=-",
      "bytes=-0", // unsatisfiable
      "bytes=--5",
      "bytes=5--",
      "bytes=1.5-2",
      "items=0-10", // another unit
      "bytes 0-10", // the response's syntax
      "0-10",
      "",
      "bytes=99999999999999999999-", // past any end
  })
  void of_multiRangeOrMalformed_firstSlice(String range) {
    assertThat(ProbeRange.of(headers(range), SLICE)).isEqualTo(FIRST_SLICE);
  }

  private static HttpHeaders headers(String range) {
    return new DefaultHttpHeaders().set(HttpHeaderNames.RANGE, range);
  }
}
