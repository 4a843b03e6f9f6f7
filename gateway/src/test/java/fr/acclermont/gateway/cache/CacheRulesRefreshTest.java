package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * Updating stored header fields (RFC 9111 3.2) from a 304 ({@link CacheRules#refreshed}, 4.3.4)
 * and from a HEAD's 200 ({@link CacheRules#afterHead}, 4.3.5).
 */
class CacheRulesRefreshTest {

  private static final CacheKey KEY = new CacheKey("cloud", "/books/b1/manifest.json");
  private static final long T = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
  private static final long LATER = T + 3_600_000;
  private static final CacheRules RULES = CacheRules.DEFAULTS;

  private static HttpHeaders headers(String... nameValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.add(nameValues[i], nameValues[i + 1]);
    }
    return headers;
  }

  private static StoredObject stored(HttpHeaders headers) {
    return new StoredObject(KEY, 7, 200, headers, 11, 1024, T, T, T, 0,
        RULES.lifetime(KEY, 200, headers, T), true);
  }

  private static StoredObject manifest() {
    return stored(headers("Date", DateFormatter.format(new Date(T)), "ETag", "\"e1\"", "Cache-Control", "max-age=60",
        "Content-Length", "11", "Content-Type", "application/json", "X-Book-Version", "1"));
  }

  @Test
  void notModified_everyFieldReplaced_butTheExceptionsOf3_2() {
    StoredObject refreshed = RULES.refreshed(manifest(), headers("Date", DateFormatter.format(new Date(LATER)),
        "Cache-Control", "max-age=600", "Content-Type", "application/manifest+json", "X-Book-Version", "2",
        "Content-Length", "0", "Content-Encoding", "gzip", "Proxy-Authentication-Info", "x"), LATER, LATER);

    assertThat(refreshed.headers().get("X-Book-Version")).isEqualTo("2");
    assertThat(refreshed.headers().get("Content-Type")).isEqualTo("application/manifest+json");
    assertThat(refreshed.headers().get("Cache-Control")).isEqualTo("max-age=600");
    assertThat(refreshed.control().maxAge()).isEqualTo(600);
    assertThat(refreshed.headers().get("Content-Length")).isEqualTo("11");
    assertThat(refreshed.headers().contains("Content-Encoding")).as("the stored bytes' coding").isFalse();
    assertThat(refreshed.headers().contains("Proxy-Authentication-Info")).isFalse();
    assertThat(refreshed.version()).isEqualTo(7);
    assertThat(refreshed.isFresh(LATER + 599_000)).isTrue();
  }

  @Test
  void notModifiedWithoutDate_datedWhenReceived_freshAgain() {
    StoredObject refreshed = RULES.refreshed(manifest(), headers("ETag", "\"e1\""), LATER, LATER);

    assertThat(refreshed.headers().get("Date")).isEqualTo(DateFormatter.format(new Date(LATER)));
    assertThat(refreshed.age(LATER)).isZero();
    assertThat(refreshed.isFresh(LATER + 30_000)).as("fresh for its max-age from the 304").isTrue();
  }

  @Test
  void notModifiedWithAnotherVary_codedBodyStillVariesOnAcceptEncoding() {
    StoredObject gzip = stored(headers("ETag", "\"e1\"", "Content-Encoding", "gzip", "Vary", "Accept-Encoding"));

    StoredObject refreshed = RULES.refreshed(gzip, headers("Vary", "Accept-Language"), LATER, LATER);

    assertThat(Variants.names(refreshed.headers())).containsExactly("accept-encoding", "accept-language");
  }

  @Test
  void head_sameValidatorsAndLength_freshensLikeA304() {
    StoredObject after = RULES.afterHead(manifest(), headers(), headers("Date", DateFormatter.format(new Date(LATER)),
        "ETag", "\"e1\"", "Content-Length", "11", "Cache-Control", "max-age=600", "X-Book-Version", "2"),
        LATER, LATER);

    assertThat(after.headers().get("X-Book-Version")).isEqualTo("2");
    assertThat(after.isFresh(LATER + 599_000)).isTrue();
  }

  @Test
  void head_otherEtagOrLength_storedCopyStale_headersKept() {
    StoredObject otherEtag = RULES.afterHead(manifest(), headers(), headers("ETag", "\"e2\"", "Content-Length", "11",
        "X-Book-Version", "2"), T, T);
    StoredObject otherLength = RULES.afterHead(manifest(), headers(), headers("ETag", "\"e1\"", "Content-Length", "12"),
        T, T);

    assertThat(otherEtag.isFresh(T)).isFalse();
    assertThat(otherEtag.headers().get("X-Book-Version")).isEqualTo("1");
    assertThat(otherEtag.version()).isEqualTo(7);
    assertThat(otherLength.isFresh(T)).isFalse();
  }

  @Test
  void head_noStore_storedCopyStale() {
    StoredObject after = RULES.afterHead(manifest(), headers(), headers("ETag", "\"e1\"", "Cache-Control", "no-store"),
        T, T);

    assertThat(after.isFresh(T)).isFalse();
    assertThat(after.headers().get("Cache-Control")).isEqualTo("max-age=60");
  }
}
