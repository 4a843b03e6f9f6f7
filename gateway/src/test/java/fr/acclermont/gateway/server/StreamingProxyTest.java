package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.demo.Asset;
import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The origin's bytes stream through the gateway unchanged, over keep-alive, with backpressure: a
 * cacheable object slice by slice (one range request per 1 MiB slice, fetched as the reader
 * needs it, one slice ahead), anything else passed through as it arrives.
 */
class StreamingProxyTest {

  private static final int SLICE = 1 << 20;
  private static final String PROBE = "bytes=0-" + (SLICE - 1);
  private static final String STORED = "edge; fwd=miss; fwd-status=200; stored";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static OriginStats origin() {
    return env.origin().stats();
  }

  /**
   * The {@code Range} of each slice fetch of a cold {@code length}-byte object, in order: the probe
   * asks for a whole slice (the length is not known yet), each later fetch for its slice's bytes.
   */
  private static List<String> sliceRanges(long length) {
    List<String> ranges = new ArrayList<>(List.of(PROBE));
    for (long first = SLICE; first < length; first += SLICE) {
      ranges.add("bytes=" + first + "-" + (Math.min(first + SLICE, length) - 1));
    }
    return ranges;
  }

  @Test
  void smallBlob_throughGateway_bytesEqualOrigin() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      TestHttpClient.Response response = client.get("/blobs/64KiB/stream-small").read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyLength()).isEqualTo(64 * 1024);
      assertThat(response.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/64KiB/stream-small", 64 * 1024));
      assertThat(response.header("Via")).contains("1.1 textbook-gateway");
      assertThat(response.header("Cache-Status")).isEqualTo(STORED);
    }
    assertThat(origin().rangeHeaders("/blobs/64KiB/stream-small")).containsExactly(PROBE);
  }

  @Test
  void bookAsset_throughGateway_bytesEqualDirectFetch() throws Exception {
    Asset asset = env.origin().catalog().books().get(0).assets().get(3);
    String path = asset.path();
    TestHttpClient.Response direct;
    try (TestHttpClient client = TestHttpClient.connect(env.origin().port())) {
      direct = client.get(path).read();
    }
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      TestHttpClient.Response proxied = client.get(path).read();

      assertThat(proxied.status()).isEqualTo(200);
      assertThat(proxied.sha256()).isEqualTo(direct.sha256());
      assertThat(proxied.header("Content-Type")).isEqualTo(direct.header("Content-Type"));
      assertThat(proxied.header("ETag")).isEqualTo(direct.header("ETag"));
      assertThat(proxied.header("Cache-Status")).isEqualTo(STORED);
    }
    // The direct fetch, then the gateway's slice fetches of the same bytes.
    List<String> expected = new ArrayList<>();
    expected.add(null);
    expected.addAll(sliceRanges(asset.size()));
    assertThat(origin().rangeHeaders(path)).containsExactlyElementsOf(expected);
  }

  @Test
  void pipelinedRequests_answeredInRequestOrder() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("GET /blobs/300KiB/pipelined-a HTTP/1.1\r\nHost: t\r\n\r\n"
          + "GET /blobs/10/pipelined-b HTTP/1.1\r\nHost: t\r\n\r\n"
          + "HEAD /blobs/20/pipelined-c HTTP/1.1\r\nHost: t\r\n\r\n");
      TestHttpClient.Response a = client.read();
      TestHttpClient.Response b = client.read();
      TestHttpClient.Response c = client.readHead();

      assertThat(a.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/300KiB/pipelined-a", 300 * 1024));
      assertThat(b.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/10/pipelined-b", 10));
      assertThat(c.header("Content-Length")).isEqualTo("20");
      assertThat(c.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200"); // a HEAD miss passes through
    }
    assertThat(origin().rangeHeaders("/blobs/300KiB/pipelined-a")).containsExactly(PROBE);
    assertThat(origin().rangeHeaders("/blobs/10/pipelined-b")).containsExactly(PROBE);
    assertThat(origin().rangeHeaders("/blobs/20/pipelined-c")).containsExactly((String) null);
  }

  @Test
  void largeBlob_200MiB_keepAlive_bytesEqualOriginThenConnectionReused() throws Exception {
    long size = 200L << 20;
    String path = "/blobs/200MiB/stream-large";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      TestHttpClient.Response large = client.get(path).readDigestOnly();
      TestHttpClient.Response next = client.get("/blobs/1000/stream-after-large").read();

      assertThat(large.status()).isEqualTo(200);
      assertThat(large.complete()).isTrue();
      assertThat(large.bodyLength()).isEqualTo(size);
      assertThat(large.sha256()).isEqualTo(ExpectedContent.sha256(path, size));
      // Stored at any size from an origin that answers ranges: one range request per slice.
      assertThat(large.header("Cache-Status")).isEqualTo(STORED);
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/1000/stream-after-large", 1000));
    }
    assertThat(origin().requests(path)).isEqualTo(200);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(sliceRanges(size));
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void noStoreBlob_slowReader_gatewayHoldsOnlyAFewMiB() throws Exception {
    ByteBufAllocatorMetricProvider allocator = (ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT;
    long baseline = allocator.metric().usedDirectMemory();
    String path = "/blobs/200MiB/slow-reader";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port(), 64 * 1024)) {
      client.get(path + "?cc=no-store");
      long read = client.readRaw(4L << 20); // a bounded prefix, then the reader stops
      assertThat(read).isEqualTo(4L << 20);

      // Once the pipe is full the origin must stop sending: its byte count stops moving.
      long[] last = {-1};
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
        long now = env.origin().stats().bytes(path);
        boolean settled = now == last[0];
        last[0] = now;
        return settled;
      });
      long held = allocator.metric().usedDirectMemory() - baseline;

      assertThat(env.origin().stats().bytes(path)).isLessThan(64L << 20);
      assertThat(held).as("direct memory held while the reader stalls").isLessThan(8L << 20);
    }
    // The probe, dropped at its no-store head, then the pass-through that streams.
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE, null);
  }

  @Test
  void cacheableBlob_slowReader_originSendsOnlyTheSlicesReadPlusOneAhead() throws Exception {
    String path = "/blobs/200MiB/slow-cached-reader";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port(), 64 * 1024)) {
      client.get(path);
      long read = client.readRaw(4L << 20); // a bounded prefix, then the reader stops
      assertThat(read).isEqualTo(4L << 20);

      // Slices are fetched as the reader reaches them, one ahead: once the pipe to the reader is
      // full, no further slice is asked for.
      long[] last = {-1};
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
        long now = env.origin().stats().bytes(path);
        boolean settled = now == last[0];
        last[0] = now;
        return settled;
      });
      long requests = origin().requests(path);

      // The slices the reader took, those sitting in the socket buffers and the channel (a few MiB),
      // and one slice ahead: about 10 here, never the 200 of the object.
      assertThat(requests).isBetween(5L, 16L);
      assertThat(origin().bytes(path)).isEqualTo(requests * SLICE);
      assertThat(origin().rangeHeaders(path))
          .containsExactlyInAnyOrderElementsOf(sliceRanges(200L << 20).subList(0, (int) requests));
      assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
    }
  }

  @Test
  void pooledConnectionClosedBeforeAnswer_retriedOnceOnNewConnection() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      // One client connection is served by one event loop, so the second request's probe reuses
      // the origin connection pooled by the first (its pass-through, once its probe was dropped);
      // the origin then closes it without answering.
      assertThat(client.get("/blobs/10/warm-pool?cc=no-store").read().status()).isEqualTo(200);
      TestHttpClient.Response dropped = client.get("/blobs/10/dropped?close-before-headers=1").read();

      assertThat(dropped.status()).isEqualTo(502);
    }
    assertThat(origin().requests("/blobs/10/warm-pool")).isEqualTo(2); // the probe, dropped at its head, and the pass
    assertThat(origin().rangeHeaders("/blobs/10/dropped")).containsExactly(PROBE, PROBE); // the probe and one retry
  }

  @Test
  void freshConnectionClosedBeforeAnswer_notRetried() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.get("/blobs/10/dropped-fresh?close-before-headers=1").read().status()).isEqualTo(502);
    }
    assertThat(origin().rangeHeaders("/blobs/10/dropped-fresh")).containsExactly(PROBE);
  }

  @Test
  void originRestarted_nextGet_succeeds() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.get("/blobs/100/restart-a?cc=no-store").read().status()).isEqualTo(200);
      env.restartOrigin(); // every pooled connection to it is now dead
      TestHttpClient.Response response = client.get("/blobs/100/restart-b?cc=no-store").read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/100/restart-b", 100));
    }
    // The restarted origin saw the probe, dropped at its no-store head, and the pass-through.
    assertThat(origin().rangeHeaders("/blobs/100/restart-b")).containsExactly(PROBE, null);
  }
}
