package fr.acclermont.gateway.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.CacheControl;
import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.ContentRange;
import io.netty.handler.codec.DateFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Fuzz target 3 (issue #14): the header parsers of the cache never throw, whatever the value, and
 * keep their consistency properties. See docs/development.md, "Fuzzing", for how it runs.
 */
class HeaderParsersFuzzTest {

  private static final String[] PIECES = {"bytes=", "bytes ", "BYTES=", "-", ",", "/", "*", " ", "\t", "0", "1",
      "9223372036854775807", "9223372036854775808", "99999999999999999999", "max-age", "s-maxage", "=", "\"",
      "no-store", "no-cache", "private", "public", "must-revalidate", "stale-while-revalidate", "stale-if-error",
      "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "GMT", ":",
      "\u0000", "\r\n", "\u00e9", "2147483648", "-1", "+1", "0x10", "1e3", "4294967296"};

  @FuzzTest(maxDuration = "10m")
  void parsers(FuzzedDataProvider data) {
    int which = data.consumeInt(0, 3);
    String value = value(data);
    switch (which) {
      case 0 -> byteRange(value, data.consumeBoolean() ? data.consumeLong() & Long.MAX_VALUE : data.consumeInt(0, 1 << 22));
      case 1 -> contentRange(value);
      case 2 -> cacheControl(value, data);
      default -> httpDate(value, data.consumeLong());
    }
  }

  /** A value built from pieces that the parsers look for, and random text. */
  static String value(FuzzedDataProvider data) {
    StringBuilder out = new StringBuilder();
    int parts = data.consumeInt(0, 12);
    for (int i = 0; i < parts && data.remainingBytes() > 0; i++) {
      out.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(8));
    }
    return out.toString();
  }

  static void byteRange(String header, long length) {
    ByteRange range = ByteRange.of(header, length);
    check(range != null, "null ByteRange for %s", header);
    switch (range.outcome()) {
      case PARTIAL -> {
        check(0 <= range.first() && range.first() <= range.last() && range.last() < length,
            "range %s of %s outside the length %d", range, header, length);
        ContentRange back = ContentRange.parse(range.contentRange(length));
        check(back != null && back.first() == range.first() && back.last() == range.last() && back.length() == length
            || length > 999_999_999_999_999_999L, "Content-Range %s does not parse back", range.contentRange(length));
      }
      case UNSATISFIABLE -> check(range.contentRange(length).equals("bytes */" + length), "unsatisfiable %s", header);
      case FULL -> { }
    }
  }

  static void contentRange(String value) {
    ContentRange range = ContentRange.parse(value);
    if (range != null) {
      check(0 <= range.first() && range.first() <= range.last() && range.last() < range.length() && range.size() > 0,
          "inconsistent %s from %s", range, value);
      ContentRange again = ContentRange.parse("bytes " + range.first() + "-" + range.last() + "/" + range.length());
      check(range.equals(again), "%s does not round-trip", range);
    }
  }

  static void cacheControl(String value, FuzzedDataProvider data) {
    List<String> values = new ArrayList<>();
    values.add(value);
    while (data.remainingBytes() > 0 && data.consumeBoolean()) {
      values.add(value(data));
    }
    CacheControl cc = CacheControl.parse(values);
    for (long seconds : new long[] {cc.maxAge(), cc.sMaxAge(), cc.staleWhileRevalidate(), cc.staleIfError()}) {
      check(seconds >= -1 && seconds <= Integer.MAX_VALUE + 1L, "delta-seconds %d from %s", seconds, values);
    }
    check(!cc.invalidLifetime() || cc.sMaxAge() < 0, "invalidLifetime with an s-maxage: %s", cc);
    check(CacheControl.parse(List.of(String.join(",", values))).equals(cc) || value.contains("\"")
        || values.stream().anyMatch(v -> v.contains("\"")), "joining the fields changes %s", values);
  }

  static void httpDate(String value, long millis) {
    long parsed = CachePolicy.dateMillis(value, Long.MIN_VALUE);
    check(parsed == Long.MIN_VALUE || parsed % 1000 == 0, "a date with milliseconds: %s -> %d", value, parsed);
    // Round trip: any instant between years 1601 and 9999 formats and parses back to its second.
    long instant = Math.floorMod(millis, 253_402_300_799_000L + 11_644_473_600_000L) - 11_644_473_600_000L;
    String formatted = DateFormatter.format(new Date(instant));
    long back = CachePolicy.dateMillis(formatted, Long.MIN_VALUE);
    check(back == Math.floorDiv(instant, 1000) * 1000, "%s (%d) parses back as %d", formatted, instant, back);
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new AssertionError(String.format(format, args));
    }
  }
}
