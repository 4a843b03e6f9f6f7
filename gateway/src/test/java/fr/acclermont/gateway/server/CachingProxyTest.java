package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.SyntheticContent;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is stored, what is served from memory, and what always goes to the origin. */
class CachingProxyTest {

  private static final MutableClock clock = new MutableClock();

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("", clock);

  private static Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target, headers).read();
    }
  }

  @Test
  void secondGet_cacheableObject_isMemoryHitWithoutOriginRequest() throws Exception {
    String path = "/blobs/3MiB/cache-hit";
    Response first = get(path);
    Response second = get(path);

    assertThat(first.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
    assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    assertThat(second.header("Age")).isNotNull();
    assertThat(second.header("Via")).contains("textbook-gateway");
    assertThat(second.sha256()).isEqualTo(first.sha256()).isEqualTo(ExpectedContent.sha256(path, 3 << 20));
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void hitsAcrossHosts_sameKey_oneOriginRequest() throws Exception {
    String path = "/blobs/10KiB/host-independent";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("GET " + path + " HTTP/1.1\r\nHost: a.example\r\n\r\n").read();
      Response second = client.sendRaw("GET " + path + " HTTP/1.1\r\nHost: b.example\r\n\r\n").read();

      assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
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
  void alreadyExpiredResponse_notServedFromCache() throws Exception {
    assertNotStored("/blobs/10KiB/expired", "?expires=-10");
  }

  @Test
  void varyResponse_notServedFromCache() throws Exception {
    assertNotStored("/blobs/10KiB/vary", "?vary=Accept-Language");
  }

  private static void assertNotStored(String path, String query) throws Exception {
    Response first = get(path + query);
    Response second = get(path + query);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Cache-Status")).contains("fwd=miss").doesNotContain("stored");
    assertThat(second.header("Cache-Status")).contains("fwd=miss").doesNotContain("hit");
    assertThat(second.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    assertThat(env.origin().stats().requests(path)).isEqualTo(2);
  }

  @Test
  void storedResponse_afterItsMaxAge_isFetchedAgainAsStale() throws Exception {
    String path = "/blobs/10KiB/goes-stale";
    String target = path + "?cc=max-age%3D60";
    get(target);
    clock.advance(Duration.ofSeconds(61));
    Response stale = get(target);

    // The refreshed copy is stored again; it is not asserted fresh, because the test clock now
    // runs ahead of the origin's Date and the copy's apparent age (RFC 9111 4.2.3) exceeds 60 s.
    assertThat(stale.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=200; stored");
    assertThat(stale.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    assertThat(env.origin().stats().requests(path)).isEqualTo(2);
  }

  @Test
  void conditionalGet_matchingEtagOnHit_answers304() throws Exception {
    String path = "/blobs/10KiB/conditional";
    Response first = get(path);
    Response revalidation = get(path, "If-None-Match: " + first.header("ETag"));

    assertThat(revalidation.status()).isEqualTo(304);
    assertThat(revalidation.header("ETag")).isEqualTo(first.header("ETag"));
    assertThat(revalidation.header("Cache-Status")).startsWith("edge; hit");
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
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
    // The 304 goes out with the head; the body may still be filling when the next GET arrives,
    // which then joins that fetch instead of hitting the finished copy: one origin fetch either way.
    assertThat(next.header("Cache-Status")).matches("edge; hit.*|edge; fwd=miss; fwd-status=200; collapsed");
    assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256(path, 10 * 1024));
    assertThat(env.origin().stats().requests(path)).isEqualTo(2); // the direct fetch + one fill
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
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void rangeRequest_onUncachedObject_passesThroughUncached() throws Exception {
    String path = "/blobs/1MiB/ranged";
    Response first = get(path, "Range: bytes=100-199");
    Response second = get(path, "Range: bytes=100-199");

    assertThat(first.status()).isEqualTo(206);
    assertThat(first.header("Content-Range")).isEqualTo("bytes 100-199/1048576");
    assertThat(first.body()).isEqualTo(SyntheticContent.bytes(path, 100, 100, 1));
    assertThat(second.header("Cache-Status")).contains("fwd=bypass");
    assertThat(env.origin().stats().requests(path)).isEqualTo(2);
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
    assertThat(open.body()).isEqualTo(SyntheticContent.bytes(path, 3000000, (int) (length - 3000000), 1));
    assertThat(suffix.body()).isEqualTo(SyntheticContent.bytes(path, length - 500, 500, 1));
    assertThat(beyond.status()).isEqualTo(416);
    assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + length);
    assertThat(several.status()).isEqualTo(200); // several ranges: the whole body, as RFC 9110 allows
    assertThat(several.bodyLength()).isEqualTo(length);
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
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
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void objectOverMaxObjectBytes_streamsThroughUnstored() throws Exception {
    String path = "/blobs/65MiB/too-big";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response first = client.get(path).readDigestOnly();
      Response second = client.get(path).readDigestOnly();

      assertThat(first.sha256()).isEqualTo(second.sha256()).isEqualTo(ExpectedContent.sha256(path, 65L << 20));
      assertThat(second.header("Cache-Status")).doesNotContain("hit");
    }
    assertThat(env.origin().stats().requests(path)).isEqualTo(2);
  }
}
