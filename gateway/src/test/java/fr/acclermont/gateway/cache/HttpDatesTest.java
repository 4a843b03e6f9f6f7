package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict HTTP-date grammar of RFC 9110 5.6.7: what is a date, and what is not. */
class HttpDatesTest {

  private static final long NOW = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
  private static final long NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "Sun, 06 Nov 1994 08:49:37 GMT", // IMF-fixdate
      "Sunday, 06-Nov-94 08:49:37 GMT", // rfc850-date
      "Sun Nov  6 08:49:37 1994", // asctime-date
      "Sun Nov 06 08:49:37 1994", // asctime-date, date3 as 2DIGIT
      " Sun, 06 Nov 1994 08:49:37 GMT\t", // OWS around a field value is not part of it (9110 5.5)
      "Mon, 06 Nov 1994 08:49:37 GMT", // the day name is not checked against the date
  })
  void parse_valid(String value) {
    assertThat(HttpDates.parse(value, NOW)).isEqualTo(NOV_6_1994);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "", "0", "-1", "yesterday", "2025-03-01T10:00:00Z", "784111777",
      "Thu, 18 Aug 2050 02:01:18 UTC", // another zone name
      "Sun, 06 Nov 1994 08:49:37 CET",
      "Sun, 06 Nov 1994 08:49:37 +0000",
      "Sun, 06 Nov 1994 08:49:37 gmt", // GMT is case-sensitive
      "Sun, 06 Nov 94 08:49:37 GMT", // two-digit year in IMF form
      "Sun 06 Nov 1994 08:49:37 GMT", // missing comma
      "Sun,  06 Nov 1994 08:49:37 GMT", // several spaces
      "Sun, 06 Nov  1994 08:49:37 GMT",
      "Sun, 06-Nov-1994 08:49:37 GMT", // dashes in IMF form
      "Sun, 06 Nov 1994 8:49:37 GMT", // one-digit hour
      "Sun, 6 Nov 1994 08:49:37 GMT", // one-digit day
      "sun, 06 Nov 1994 08:49:37 GMT", // names are case-sensitive
      "Sun, 06 nov 1994 08:49:37 GMT",
      "Sun, 06 November 1994 08:49:37 GMT",
      "Sunday, 06 Nov 1994 08:49:37 GMT", // long day name in IMF form
      "Sun, 06-Nov-94 08:49:37 GMT", // short day name in rfc850 form
      "Sunday, 06-Nov-1994 08:49:37 GMT", // four-digit year in rfc850 form
      "Sun Nov 6 08:49:37 1994", // asctime without the padding space
      "Sun Nov  6 08:49:37 1994 GMT",
      "Sun, 06 Nov 1994 24:00:00 GMT", // hour past 23
      "Sun, 06 Nov 1994 08:60:00 GMT", // minute past 59
      "Sun, 06 Nov 1994 08:49:61 GMT", // second past 60
      "Sun, 00 Nov 1994 08:49:37 GMT",
      "Sun, 31 Nov 1994 08:49:37 GMT", // 31 November
      "Sun, 29 Feb 1900 08:49:37 GMT", // not a leap year
      "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT", // a list
      "Sun, 06 Nov 1994 08.49.37 GMT",
      "Sun, 06 Nov 1994 08:49:37", // no zone
  })
  void parse_invalid(String value) {
    assertThat(HttpDates.parse(value, NOW)).isEqualTo(HttpDates.INVALID);
  }

  @Test
  void parse_null_invalid() {
    assertThat(HttpDates.parse(null, NOW)).isEqualTo(HttpDates.INVALID);
  }

  @Test
  void parse_leapSecond_isTheNextMinute() {
    assertThat(HttpDates.parse("Wed, 31 Dec 2008 23:59:60 GMT", NOW))
        .isEqualTo(Instant.parse("2009-01-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void parse_leapDay_valid() {
    assertThat(HttpDates.parse("Thu, 29 Feb 2024 00:00:00 GMT", NOW))
        .isEqualTo(Instant.parse("2024-02-29T00:00:00Z").toEpochMilli());
  }

  @ParameterizedTest(name = "[{index}] {0} now {1}")
  @CsvSource(delimiter = '|', value = {
      // RFC 9110 5.6.7: a two-digit year more than 50 years ahead is the last century's
      "Sunday, 06-Nov-94 08:49:37 GMT   | 2026-03-02T08:00:00Z | 1994-11-06T08:49:37Z",
      "Friday, 02-Mar-26 08:00:00 GMT   | 2026-03-02T08:00:00Z | 2026-03-02T08:00:00Z",
      "Thursday, 02-Mar-76 08:00:00 GMT | 2026-03-02T08:00:00Z | 2076-03-02T08:00:00Z",
      "Tuesday, 03-Mar-76 08:00:00 GMT  | 2026-03-02T08:00:00Z | 1976-03-03T08:00:00Z",
      "Monday, 01-Jan-00 00:00:00 GMT   | 2026-03-02T08:00:00Z | 2000-01-01T00:00:00Z",
      "Monday, 01-Jan-10 00:00:00 GMT   | 2090-06-01T00:00:00Z | 2110-01-01T00:00:00Z",
      "Monday, 01-Jan-60 00:00:00 GMT   | 2090-06-01T00:00:00Z | 2060-01-01T00:00:00Z",
  })
  void parse_rfc850TwoDigitYear_notMoreThan50YearsAhead(String value, String now, String expected) {
    assertThat(HttpDates.parse(value, Instant.parse(now).toEpochMilli()))
        .isEqualTo(Instant.parse(expected).toEpochMilli());
  }

  @Test
  void field_oneLine_parsed() {
    assertThat(HttpDates.field(headers("Expires", "Sun, 06 Nov 1994 08:49:37 GMT"), "Expires"))
        .isEqualTo(NOV_6_1994);
  }

  @Test
  void field_absentOrSeveralLines_invalid() {
    assertThat(HttpDates.field(headers(), "Expires")).isEqualTo(HttpDates.INVALID);
    assertThat(HttpDates.field(headers("Expires", "Sun, 06 Nov 1994 08:49:37 GMT",
        "Expires", "Sun, 06 Nov 1994 08:49:37 GMT"), "Expires")).isEqualTo(HttpDates.INVALID);
  }

  @Test
  void parse_longGarbage_invalidWithoutException() {
    assertThat(HttpDates.parse("Sunday," + "x".repeat(10_000), NOW)).isEqualTo(HttpDates.INVALID);
    assertThat(HttpDates.parse(",".repeat(29), NOW)).isEqualTo(HttpDates.INVALID);
    assertThat(HttpDates.parse("   ,".repeat(6), NOW)).isEqualTo(HttpDates.INVALID);
  }

  private static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
