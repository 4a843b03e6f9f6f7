package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A HEAD of an object not stored passes through: the origin's headers, {@code Content-Length}
 * included, and no body, on a connection that stays in sync for the next request. (A HEAD of a
 * stored object is answered from the cache: CachingProxyTest and SlicedRangesTest.)
 */
class HeadPassThroughTest {

  private static final String PASSED = "edge; fwd=miss; fwd-status=200";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static OriginStats origin() {
    return env.origin().stats();
  }

  @Test
  void headMiss_originHeadersWithoutBody_keepAliveConnectionServesTheNextRequests() throws Exception {
    String path = "/blobs/20KiB/head-keep-alive";
    String next = "/blobs/10/head-keep-alive-next";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response head = client.request("HEAD", path).readHead();
      // Had the HEAD response carried body bytes, this status line would be read from them.
      Response get = client.get(next).read();
      Response again = client.request("HEAD", path).readHead();

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(20 * 1024));
      assertThat(head.header("ETag")).isNotNull();
      assertThat(head.header("Cache-Status")).isEqualTo(PASSED);
      assertThat(head.header("Connection")).isNull();
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.sha256()).isEqualTo(ExpectedContent.sha256(next, 10));
      assertThat(again.header("Content-Length")).isEqualTo(Integer.toString(20 * 1024));
    }
    assertThat(origin().requests(path)).isEqualTo(2);
    assertThat(origin().rangeHeaders(path)).containsExactly(null, null); // no probe for a HEAD
    assertThat(origin().bodyBytes(path)).isZero();
  }

  @Test
  void headMiss_chunkedOriginWithoutLength_noBodyAndConnectionStaysInSync() throws Exception {
    String path = "/blobs/5KiB/head-chunked";
    String next = "/blobs/10/head-chunked-next";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response head = client.request("HEAD", path + "?chunked=1&no-ranges=1").readHead();
      Response get = client.get(next).read();

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Transfer-Encoding")).isNull(); // no body follows, so no framing either
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.sha256()).isEqualTo(ExpectedContent.sha256(next, 10));
    }
    assertThat(origin().requests(path)).isEqualTo(1);
  }
}
