package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.CacheKey;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a probe's answer means for the cache, including the answers an origin gets wrong. */
class ProbeAnswerTest {

  private static final CacheKey KEY = new CacheKey("cloud", "/blobs/x");
  private static final int SLICE = 1 << 20;

  private static ProbeAnswer read(int status, String... headers) {
    HttpHeaders h = new DefaultHttpHeaders().set("cache-control", "max-age=60");
    for (int i = 0; i < headers.length; i += 2) {
      h.set(headers[i], headers[i + 1]);
    }
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), h);
    return ProbeAnswer.read(response, new DefaultHttpHeaders(), KEY, () -> 7, SLICE, 64L << 20, fr.acclermont.gateway.cache.CacheRules.DEFAULTS,
        1000, 2000);
  }

  @Test
  void partialContent_storedAsTheWholeObject_runFromContentRange() {
    ProbeAnswer answer = read(206, "content-range", "bytes 100-199/5000", "content-length", "100");

    assertThat(answer.object()).isNotNull();
    assertThat(answer.object().status()).isEqualTo(200);
    assertThat(answer.object().length()).isEqualTo(5000);
    assertThat(answer.object().rangeable()).isTrue();
    assertThat(answer.object().headers().get("content-length")).isEqualTo("5000");
    assertThat(answer.object().headers().contains("content-range")).isFalse();
    assertThat(answer.first()).isEqualTo(100);
    assertThat(answer.end()).isEqualTo(200);
    assertThat(answer.meaning()).isEqualTo(ProbeAnswer.Meaning.OBJECT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes 100-199/*", "bytes 200-100/5000", "items 0-9/10", "garbage"})
  void partialContent_unusableContentRange_notStored(String contentRange) {
    ProbeAnswer answer = read(206, "content-range", contentRange);

    assertThat(answer.object()).isNull();
    assertThat(answer.notStored()).contains("Content-Range");
    assertThat(answer.meaning()).isEqualTo(ProbeAnswer.Meaning.NOT_STORABLE);
  }

  @Test
  void requestWithAuthorization_notShareable_notAboutTheObject() {
    // RFC 9111 3.5: the credentials make this answer unshareable, not the URL's other answers.
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        new DefaultHttpHeaders().set("cache-control", "max-age=60").set("content-length", "10"));
    ProbeAnswer answer = ProbeAnswer.read(response, new DefaultHttpHeaders().set("authorization", "Bearer t"), KEY,
        () -> 7, SLICE, 64L << 20, fr.acclermont.gateway.cache.CacheRules.DEFAULTS, 1000, 2000);

    assertThat(answer.object()).isNull();
    assertThat(answer.refusedForCredentials()).isTrue();
    assertThat(answer.meaning()).isEqualTo(ProbeAnswer.Meaning.NOT_ABOUT_THE_OBJECT);
  }

  @Test
  void targetedField_storedWithItsDirectives() {
    ProbeAnswer answer = read(200, "content-length", "10", "cache-control", "no-store",
        "cdn-cache-control", "max-age=600");

    assertThat(answer.object()).isNotNull();
    assertThat(answer.object().freshnessLifetimeSeconds()).isEqualTo(600);
    assertThat(answer.object().controlField()).isEqualTo("CDN-Cache-Control");
    assertThat(answer.object().headers().get("cdn-cache-control")).isEqualTo("max-age=600");
  }

  @Test
  void wholeObject_fromAnOriginWithoutRanges_storedNotRangeable() {
    ProbeAnswer answer = read(200, "content-length", "3000");

    assertThat(answer.object().rangeable()).isFalse();
    assertThat(answer.first()).isZero();
    assertThat(answer.end()).isEqualTo(3000);
  }

  @Test
  void wholeObject_noLength_notStored() {
    assertThat(read(200).notStored()).isEqualTo("no Content-Length");
  }

  @Test
  void wholeObject_overTheObjectLimit_notStored() {
    assertThat(read(200, "content-length", String.valueOf(65L << 20)).object()).isNull();
  }

  @Test
  void unsatisfiable_notStored_saysNothingOfTheObject() {
    ProbeAnswer answer = read(416, "content-range", "bytes */0");

    assertThat(answer.object()).isNull();
    assertThat(answer.meaning()).isEqualTo(ProbeAnswer.Meaning.NOT_ABOUT_THE_OBJECT);
  }

  @Test
  void noStore_notStored_aboutTheObject() {
    ProbeAnswer answer = read(206, "content-range", "bytes 0-9/10", "cache-control", "no-store");

    assertThat(answer.object()).isNull();
    assertThat(answer.meaning()).isEqualTo(ProbeAnswer.Meaning.NOT_STORABLE);
  }

  @Test
  void notModifiedToAProbeWithoutValidators_notStored_saysNothingOfTheObject() {
    ProbeAnswer answer = read(304);

    assertThat(answer.object()).isNull();
    assertThat(answer.meaning()).isEqualTo(ProbeAnswer.Meaning.NOT_ABOUT_THE_OBJECT);
  }

  @Test
  void serverError_anOriginError_notStored() {
    ProbeAnswer answer = read(503, "content-length", "0");

    assertThat(answer.object()).isNull();
    assertThat(answer.meaning()).isEqualTo(ProbeAnswer.Meaning.ORIGIN_ERROR);
    assertThat(answer.notStored()).isEqualTo("origin error 503");
  }
}
