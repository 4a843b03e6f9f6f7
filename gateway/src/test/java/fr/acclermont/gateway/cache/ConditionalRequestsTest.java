package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionalRequestsTest {

  private static final long T = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();

  @ParameterizedTest(name = "If-None-Match {0} vs ETag {1}")
  @CsvSource(delimiter = '|', value = {
      "\"v1\"                 | \"v1\"",
      "W/\"v1\"               | \"v1\"",
      "\"v1\"                 | W/\"v1\"",
      "W/\"v1\"               | W/\"v1\"",
      "\"a\", \"b\", \"v1\"   | \"v1\"",
      "\"a\",W/\"v1\"         | \"v1\"",
      "  \"v1\"  ,  \"b\"     | \"v1\"",
      "*                      | \"v1\"",
      "*                      | W/\"v1\"",
  })
  void notModified_ifNoneMatchMatchesWeakly_true(String ifNoneMatch, String etag) {
    assertThat(ConditionalRequests.notModified(headers("If-None-Match", ifNoneMatch), headers("ETag", etag)))
        .isTrue();
  }

  @ParameterizedTest(name = "If-None-Match {0} vs ETag {1}")
  @CsvSource(delimiter = '|', value = {
      "\"v2\"           | \"v1\"",
      "\"a\", \"b\"     | \"v1\"",
      "\"v1x\"          | \"v1\"",
      "\"V1\"           | \"v1\"",
      "W/\"v2\"         | W/\"v1\"",
  })
  void notModified_ifNoneMatchDiffers_false(String ifNoneMatch, String etag) {
    assertThat(ConditionalRequests.notModified(headers("If-None-Match", ifNoneMatch), headers("ETag", etag)))
        .isFalse();
  }

  @Test
  void notModified_ifNoneMatchWithoutStoredETag_false() {
    assertThat(ConditionalRequests.notModified(headers("If-None-Match", "\"v1\""), headers())).isFalse();
  }

  @Test
  void notModified_ifNoneMatchFailsButIfModifiedSinceWouldPass_ifModifiedSinceIgnored() {
    HttpHeaders request = headers("If-None-Match", "\"other\"", "If-Modified-Since", http(T));
    HttpHeaders response = headers("ETag", "\"v1\"", "Last-Modified", http(T - 60_000));

    assertThat(ConditionalRequests.notModified(request, response)).isFalse();
  }

  @Test
  void notModified_ifNoneMatchPassesButIfModifiedSinceWouldFail_ifModifiedSinceIgnored() {
    HttpHeaders request = headers("If-None-Match", "\"v1\"", "If-Modified-Since", http(T - 60_000));
    HttpHeaders response = headers("ETag", "\"v1\"", "Last-Modified", http(T));

    assertThat(ConditionalRequests.notModified(request, response)).isTrue();
  }

  @ParameterizedTest(name = "Last-Modified {0} s relative to If-Modified-Since")
  @CsvSource({"-3600, true", "0, true", "1, false", "3600, false"})
  void notModified_ifModifiedSince_comparesLastModified(long lastModifiedOffsetSeconds, boolean expected) {
    HttpHeaders request = headers("If-Modified-Since", http(T));
    HttpHeaders response = headers("Last-Modified", http(T + lastModifiedOffsetSeconds * 1000));

    assertThat(ConditionalRequests.notModified(request, response)).isEqualTo(expected);
  }

  @Test
  void notModified_ifModifiedSinceWithoutLastModified_false() {
    assertThat(ConditionalRequests.notModified(headers("If-Modified-Since", http(T)), headers("ETag", "\"v1\"")))
        .isFalse();
  }

  @Test
  void notModified_invalidIfModifiedSince_false() {
    assertThat(ConditionalRequests.notModified(headers("If-Modified-Since", "yesterday"),
        headers("Last-Modified", http(T - 60_000)))).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"Sat, 01 Mar 2025 10:00:00 UTC", "Sat, 01 Mar 25 10:00:00 GMT",
      "Sat 01 Mar 2025 10:00:00 GMT", "Sat, 01 Mar 2025 9:00:00 GMT", "0"})
  void notModified_ifModifiedSinceNotAnHttpDate_ignored(String since) {
    // RFC 9110 13.1.3: a recipient MUST ignore an If-Modified-Since that is not a valid HTTP-date.
    assertThat(ConditionalRequests.notModified(headers("If-Modified-Since", since),
        headers("Last-Modified", http(T - 86_400_000)))).isFalse();
  }

  @Test
  void notModified_ifModifiedSinceOnTwoLines_ignored() {
    assertThat(ConditionalRequests.notModified(headers("If-Modified-Since", http(T), "If-Modified-Since", http(T)),
        headers("Last-Modified", http(T - 60_000)))).isFalse();
  }

  @Test
  void notModified_obsoleteDateForms_read() {
    HttpHeaders response = headers("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT");

    assertThat(ConditionalRequests.notModified(headers("If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"),
        response)).isTrue();
    assertThat(ConditionalRequests.notModified(headers("If-Modified-Since", "Sun Nov  6 08:49:37 1994"),
        response)).isTrue();
  }

  @Test
  void notModified_noPrecondition_false() {
    assertThat(ConditionalRequests.notModified(headers(), headers("ETag", "\"v1\"", "Last-Modified", http(T))))
        .isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "If-None-Match       | \"v1\"              | true",
      "If-Modified-Since   | Sat, 01 Mar 2025 10:00:00 GMT | true",
      "If-Match            | \"v1\"              | false",
      "If-Unmodified-Since | Sat, 01 Mar 2025 10:00:00 GMT | false",
      "If-Range            | \"v1\"              | false",
  })
  void isConditional_header_onlyIfNoneMatchAndIfModifiedSince(String name, String value, boolean expected) {
    assertThat(ConditionalRequests.isConditional(headers(name, value))).isEqualTo(expected);
  }

  @Test
  void isConditional_noHeaders_false() {
    assertThat(ConditionalRequests.isConditional(headers())).isFalse();
  }

  private static String http(long millis) {
    return DateFormatter.format(new Date(millis));
  }

  private static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @Test
  void ifRangeMatches_strongTagDateAndWeakTag() {
    HttpHeaders response = new DefaultHttpHeaders()
        .set("ETag", "\"v1\"").set("Last-Modified", "Sun, 15 Jun 2025 07:39:49 GMT");
    assertThat(ConditionalRequests.ifRangeMatches(
        new DefaultHttpHeaders(), response)).isTrue();
    assertThat(ConditionalRequests.ifRangeMatches(
        new DefaultHttpHeaders().set("If-Range", "\"v1\""), response)).isTrue();
    assertThat(ConditionalRequests.ifRangeMatches(
        new DefaultHttpHeaders().set("If-Range", "\"v2\""), response)).isFalse();
    assertThat(ConditionalRequests.ifRangeMatches(
        new DefaultHttpHeaders().set("If-Range", "W/\"v1\""), response)).isFalse();
    assertThat(ConditionalRequests.ifRangeMatches(
        new DefaultHttpHeaders().set("If-Range", "Sun, 15 Jun 2025 07:39:49 GMT"), response))
        .isTrue();
    assertThat(ConditionalRequests.ifRangeMatches(
        new DefaultHttpHeaders().set("If-Range", "Mon, 16 Jun 2025 07:39:49 GMT"), response))
        .isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"Sun, 15 Jun 2025 07:39:49 UTC", "Sun, 15 Jun 25 07:39:49 GMT",
      "Sun, 15 Jun 2025 7:39:49 GMT", "v1", "yesterday"})
  void ifRangeMatches_neitherDateNorStrongTag_rangeNotHonoured(String ifRange) {
    // RFC 9110 13.1.5: an If-Range that is not a valid HTTP-date nor a strong entity-tag never
    // matches: the whole representation is sent.
    HttpHeaders response = headers("ETag", "\"v1\"", "Last-Modified", "Sun, 15 Jun 2025 07:39:49 GMT");

    assertThat(ConditionalRequests.ifRangeMatches(headers("If-Range", ifRange), response)).isFalse();
  }

  @Test
  void ifRangeMatches_twoLines_rangeNotHonoured() {
    HttpHeaders response = headers("ETag", "\"v1\"", "Last-Modified", "Sun, 15 Jun 2025 07:39:49 GMT");

    assertThat(ConditionalRequests.ifRangeMatches(headers("If-Range", "\"v1\"", "If-Range", "\"v1\""), response))
        .isFalse();
  }

  @Test
  void ifRangeMatches_lastModifiedNotAnHttpDate_dateNeverMatches() {
    HttpHeaders response = headers("Last-Modified", "Sun, 15 Jun 2025 07:39:49 UTC");

    assertThat(ConditionalRequests.ifRangeMatches(headers("If-Range", "Sun, 15 Jun 2025 07:39:49 GMT"), response))
        .isFalse();
  }
}
