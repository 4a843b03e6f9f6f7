package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.demo.SyntheticContent;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.SliceRanges;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What is stored, what is served from memory, and what always goes to the origin. A cacheable miss
 * sends a probe ({@code Range} of at most one 1 MiB slice) and fetches every further slice with its
 * own range request, once; a response that may not be stored costs the probe plus a pass-through
 * the first time, then one pass-through per request while the key is remembered (hit-for-pass).
 */
class CachingProxyTest {

  private static final int SLICE = SliceRanges.SLICE;
  private static final String PROBE = SliceRanges.PROBE;
  private static final String STORED = "edge; fwd=miss; fwd-status=200; stored";
  private static final String PASSED = "edge; fwd=miss; fwd-status=200";

  private static final MutableClock clock = new MutableClock();

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("", clock);

  private static Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target, headers).read();
    }
  }

  private static OriginStats origin() {
    return env.origin().stats();
  }

  @Test
  void secondGet_cacheableObject_isMemoryHitWithoutOriginRequest() throws Exception {
    String path = "/blobs/3MiB/cache-hit";
    Response first = get(path);
    Response second = get(path);

    assertThat(first.header("Cache-Status")).isEqualTo(STORED);
    assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    assertThat(second.header("Age")).isNotNull();
    assertThat(second.header("Via")).contains("textbook-gateway");
    assertThat(second.sha256()).isEqualTo(first.sha256()).isEqualTo(ExpectedContent.sha256(path, 3 << 20));
    // Three slices, three range requests, each byte once; the hit costs nothing.
    assertThat(origin().requests(path)).isEqualTo(3);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(3 << 20));
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void hitsAcrossHosts_sameKey_oneOriginRequest() throws Exception {
    String path = "/blobs/10KiB/host-independent";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("GET " + path + " HTTP/1.1\r\nHost: a.example\r\n\r\n").read();
      Response second = client.sendRaw("GET " + path + " HTTP/1.1\r\nHost: b.example\r\n\r\n").read();

      assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin().requests(path)).isEqualTo(1);
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE);
  }

  @Test
  void noStoreResponse_notServedFromCache() throws Exception {
    assertNotStored("/blobs/10KiB/no-store", "?cc=no-store");
  }

  @Test
  void privateResponse_notServedFromCache() throws Exception {
    assertNotStored("/blobs/10KiB/private", "?cc=private");
  }

  @Test
  void alreadyExpiredResponse_storedThenRevalidatedWithoutRefetchingTheBody() throws Exception {
    String path = "/blobs/10KiB/expired";
    Response first = get(path + "?expires=-10");
    Response second = get(path + "?expires=-10");

    assertThat(first.header("Cache-Status")).isEqualTo(STORED);
    assertThat(second.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=304");
    assertThat(second.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    assertThat(origin().requests(path)).isEqualTo(2);
    assertThat(origin().bodyBytes(path)).as("the body crossed the uplink once").isEqualTo(10 * 1024);
  }

  @Test
  void varyStarResponse_notServedFromCache() throws Exception {
    assertNotStored("/blobs/10KiB/vary", "?vary=*");
  }

  @Test
  void responseWithoutLength_fromOriginWithoutRanges_notServedFromCache() throws Exception {
    assertNotStored("/blobs/10KiB/no-length", "?no-ranges=1&chunked=1");
  }

  /**
   * The first miss sends a probe, drops it on seeing the head, and passes the request through
   * (2 origin requests); the key is then remembered, so the next miss passes through at once (1).
   */
  private static void assertNotStored(String path, String query) throws Exception {
    Response first = get(path + query);
    Response second = get(path + query);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Cache-Status")).isEqualTo(PASSED);
    assertThat(first.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    assertThat(second.header("Cache-Status")).isEqualTo(PASSED);
    assertThat(second.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE, null, null);
    assertThat(origin().requests(path)).isEqualTo(3);
  }

  @Test
  void storedResponse_afterItsMaxAge_isRevalidatedAsStale() throws Exception {
    String path = "/blobs/10KiB/goes-stale";
    String target = path + "?cc=max-age%3D60";
    get(target);
    clock.advance(Duration.ofSeconds(61));
    Response stale = get(target);

    // The refreshed copy is not asserted fresh, because the test clock now runs ahead of the
    // origin's Date and the copy's apparent age (RFC 9111 4.2.3) exceeds 60 s (HttpCachingTest
    // dates its origin's answers with the test clock).
    assertThat(stale.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=304");
    assertThat(stale.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    assertThat(origin().requests(path)).isEqualTo(2);
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE, PROBE);
  }

  @Test
  void conditionalGet_matchingEtagOnHit_answers304() throws Exception {
    String path = "/blobs/10KiB/conditional";
    Response first = get(path);
    Response revalidation = get(path, "If-None-Match: " + first.header("ETag"));

    assertThat(revalidation.status()).isEqualTo(304);
    assertThat(revalidation.header("ETag")).isEqualTo(first.header("ETag"));
    assertThat(revalidation.header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin().requests(path)).isEqualTo(1);
  }

  @Test
  void conditionalGet_onMiss_answers304AndStillStores() throws Exception {
    String path = "/blobs/10KiB/conditional-miss";
    String etag;
    try (TestHttpClient client = TestHttpClient.connect(env.origin().port())) {
      etag = client.get(path).read().header("ETag");
    }
    Response revalidation = get(path, "If-None-Match: " + etag);
    Response next = get(path);

    assertThat(revalidation.status()).isEqualTo(304);
    assertThat(revalidation.header("Cache-Status")).isEqualTo(STORED);
    // The 304 goes out once the probe's head is published; its body may still be landing when the
    // next GET arrives, which then waits for those bytes instead of hitting: one fetch either way.
    assertThat(next.header("Cache-Status")).matches("edge; hit; ttl=\\d+|edge; fwd=partial; stored");
    assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    // The direct fetch, then the probe, stripped of the client's precondition.
    assertThat(origin().requests(path)).isEqualTo(2);
    assertThat(origin().rangeHeaders(path)).containsExactly(null, PROBE);
  }

  @Test
  void head_onStoredObject_answeredFromCacheWithoutBody() throws Exception {
    String path = "/blobs/20KiB/head-hit";
    get(path);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response head = client.request("HEAD", path).readHead();
      Response after = client.get("/blobs/10/head-next").read(); // the connection is still in sync

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(20 * 1024));
      assertThat(head.header("Cache-Status")).startsWith("edge; hit");
      assertThat(after.status()).isEqualTo(200);
    }
    assertThat(origin().requests(path)).isEqualTo(1);
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE);
  }

  @Test
  void head_onMiss_passesThroughWithoutProbe() throws Exception {
    String path = "/blobs/20KiB/head-miss";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response head = client.request("HEAD", path).readHead();

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(20 * 1024));
      assertThat(head.header("Cache-Status")).isEqualTo(PASSED);
    }
    Response get = get(path); // the HEAD stored nothing: the GET is a miss

    assertThat(get.header("Cache-Status")).isEqualTo(STORED);
    assertThat(origin().requests(path)).isEqualTo(2);
    assertThat(origin().rangeHeaders(path)).containsExactly(null, PROBE);
  }

  /** A background fill fetches at most this much at once (SliceFetcher.FILL_RUN_BYTES). */
  private static final long FILL_RUN = 64 * 1024;

  @Test
  void rangeRequest_onColdObject_fetchesOnlyTheSliceItCovers_thenServesItFromTheStore() throws Exception {
    String path = "/blobs/3MiB/ranged";
    long length = 3 << 20;
    long first = SLICE + 100; // 100 bytes in the middle slice
    long last = first + 99;
    Response cold = get(path, "Range: bytes=" + first + "-" + last);

    assertThat(cold.status()).isEqualTo(206);
    assertThat(cold.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + length);
    assertThat(cold.header("Cache-Status")).isEqualTo(STORED);
    assertThat(cold.body()).isEqualTo(SyntheticContent.bytes(path, first, 100, 1));

    // The probe asked for just those bytes; the rest of their slice is filled in the background,
    // gap by gap, in runs of at most 64 KiB; the other slices are never fetched.
    awaitPresent(path, SLICE, 2L * SLICE);
    List<String> fills = new ArrayList<>(List.of("bytes=" + first + "-" + last, "bytes=" + SLICE + "-" + (first - 1)));
    for (long from = last + 1; from < 2 * SLICE; from += FILL_RUN) {
      fills.add("bytes=" + from + "-" + (Math.min(from + FILL_RUN, 2 * SLICE) - 1));
    }
    assertThat(origin().rangeHeaders(path)).containsExactlyElementsOf(fills);
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
    Response again = get(path, "Range: bytes=" + first + "-" + last);
    Response wholeSlice = get(path, "Range: bytes=" + SLICE + "-" + (2 * SLICE - 1));

    assertThat(again.header("Cache-Status")).startsWith("edge; hit");
    assertThat(again.body()).isEqualTo(cold.body());
    assertThat(wholeSlice.status()).isEqualTo(206);
    assertThat(wholeSlice.header("Cache-Status")).startsWith("edge; hit");
    assertThat(wholeSlice.body()).isEqualTo(SyntheticContent.bytes(path, SLICE, SLICE, 1));
    assertThat(origin().requests(path)).isEqualTo(fills.size());
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  /** Waits until the bytes {@code [from, to)} of the stored object at {@code path} are all present. */
  private static void awaitPresent(String path, long from, long to) {
    CacheKey key = new CacheKey("cloud", path);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      StoredObject object = env.gateway().memory().object(key);
      return object != null && env.gateway().memory().allPresent(object, from, to);
    });
  }

  @Test
  void rangeRequests_onStoredObject_cutFromTheCache() throws Exception {
    String path = "/blobs/3MiB/ranged-stored"; // three slices: ranges may cross their boundaries
    long length = 3 << 20;
    get(path);
    Response middle = get(path, "Range: bytes=1048000-2097999");
    Response open = get(path, "Range: bytes=3000000-");
    Response suffix = get(path, "Range: bytes=-500");
    Response beyond = get(path, "Range: bytes=4000000-");
    Response several = get(path, "Range: bytes=0-9,20-29");

    assertThat(middle.status()).isEqualTo(206);
    assertThat(middle.header("Content-Range")).isEqualTo("bytes 1048000-2097999/" + length);
    assertThat(middle.header("Cache-Status")).startsWith("edge; hit");
    assertThat(middle.body()).isEqualTo(SyntheticContent.bytes(path, 1048000, 1050000, 1));
    assertThat(open.header("Content-Range")).isEqualTo("bytes 3000000-" + (length - 1) + "/" + length);
    assertThat(open.header("Cache-Status")).startsWith("edge; hit");
    assertThat(open.body()).isEqualTo(SyntheticContent.bytes(path, 3000000, (int) (length - 3000000), 1));
    assertThat(suffix.header("Cache-Status")).startsWith("edge; hit");
    assertThat(suffix.body()).isEqualTo(SyntheticContent.bytes(path, length - 500, 500, 1));
    assertThat(beyond.status()).isEqualTo(416);
    assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + length);
    assertThat(several.status()).isEqualTo(200); // several ranges: the whole body, as RFC 9110 allows
    assertThat(several.bodyLength()).isEqualTo(length);
    assertThat(several.header("Cache-Status")).startsWith("edge; hit");
    // Only the first GET's three slice fetches: every range was cut from the store.
    assertThat(origin().requests(path)).isEqualTo(3);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(length));
  }

  @Test
  void ifRange_matchingOrNot_rangeOrWholeBodyFromTheCache() throws Exception {
    String path = "/blobs/10KiB/if-range";
    String etag = get(path).header("ETag");
    Response matching = get(path, "Range: bytes=0-9", "If-Range: " + etag);
    Response stale = get(path, "Range: bytes=0-9", "If-Range: \"not-the-etag\"");

    assertThat(matching.status()).isEqualTo(206);
    assertThat(matching.bodyLength()).isEqualTo(10);
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.bodyLength()).isEqualTo(10 * 1024);
    assertThat(origin().requests(path)).isEqualTo(1);
  }

  @Test
  void objectOverMaxObjectBytes_fromRangeCapableOrigin_storedSliceBySlice() throws Exception {
    String path = "/blobs/65MiB/big-but-ranged"; // max-object-bytes is 64MiB in tests
    long length = 65L << 20;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response first = client.get(path).readDigestOnly();
      Response second = client.get(path).readDigestOnly();

      assertThat(first.sha256()).isEqualTo(second.sha256()).isEqualTo(ExpectedContent.sha256(path, length));
      assertThat(first.header("Cache-Status")).isEqualTo(STORED);
      assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin().requests(path)).isEqualTo(65);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(length));
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void objectOverMaxObjectBytes_fromOriginWithoutRanges_streamsThroughUnstored() throws Exception {
    String path = "/blobs/65MiB/too-big";
    String target = path + "?no-ranges=1";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response first = client.get(target).readDigestOnly();
      Response second = client.get(target).readDigestOnly();

      assertThat(first.sha256()).isEqualTo(second.sha256()).isEqualTo(ExpectedContent.sha256(path, 65L << 20));
      assertThat(first.header("Cache-Status")).isEqualTo(PASSED);
      assertThat(second.header("Cache-Status")).isEqualTo(PASSED);
    }
    // The probe is answered 200 with the whole body, too large to store: dropped at its head, then
    // a pass-through; the second request passes through at once.
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE, null, null);
    assertThat(origin().requests(path)).isEqualTo(3);
    assertThat(env.gateway().memory().object(new CacheKey("cloud", target))).isNull();
  }

  @Test
  void objectUnderMaxObjectBytes_fromOriginWithoutRanges_streamedWholeOnceAndStored() throws Exception {
    String path = "/blobs/3MiB/whole";
    String target = path + "?no-ranges=1";
    Response first = get(target);
    Response second = get(target);
    Response range = get(target, "Range: bytes=" + SLICE + "-" + (SLICE + 9));

    assertThat(first.header("Cache-Status")).isEqualTo(STORED);
    assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    assertThat(second.sha256()).isEqualTo(first.sha256()).isEqualTo(ExpectedContent.sha256(path, 3 << 20));
    assertThat(range.status()).isEqualTo(206); // cut from the store, though the origin knows no ranges
    assertThat(range.header("Cache-Status")).startsWith("edge; hit");
    assertThat(range.body()).isEqualTo(SyntheticContent.bytes(path, SLICE, 10, 1));
    // The probe's Range was ignored: the whole body came in that one response.
    assertThat(origin().requests(path)).isEqualTo(1);
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE);
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }
}
