package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The origin's bytes stream through the gateway unchanged, over keep-alive, with backpressure. */
class StreamingProxyTest {

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();


  @Test
  void smallBlob_throughGateway_bytesEqualOrigin() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      TestHttpClient.Response response = client.get("/blobs/64KiB/stream-small").read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyLength()).isEqualTo(64 * 1024);
      assertThat(response.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/64KiB/stream-small", 64 * 1024));
      assertThat(response.header("Via")).contains("1.1 textbook-gateway");
    }
  }

  @Test
  void bookAsset_throughGateway_bytesEqualDirectFetch() throws Exception {
    String path = env.origin().catalog().books().get(0).assets().get(3).path();
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
    }
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
    }
  }

  @Test
  void largeBlob_200MiB_keepAlive_bytesEqualOriginThenConnectionReused() throws Exception {
    long size = 200L << 20;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      TestHttpClient.Response large = client.get("/blobs/200MiB/stream-large").readDigestOnly();
      TestHttpClient.Response next = client.get("/blobs/1000/stream-after-large").read();

      assertThat(large.status()).isEqualTo(200);
      assertThat(large.complete()).isTrue();
      assertThat(large.bodyLength()).isEqualTo(size);
      assertThat(large.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/200MiB/stream-large", size));
      assertThat(large.header("Cache-Status")).contains("fwd=miss").doesNotContain("stored");
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/1000/stream-after-large", 1000));
    }
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
  }

  @Test
  void pooledConnectionClosedBeforeAnswer_retriedOnceOnNewConnection() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      // One client connection is served by one event loop, so the second request reuses the
      // origin connection pooled by the first; the origin then closes it without answering.
      assertThat(client.get("/blobs/10/warm-pool?cc=no-store").read().status()).isEqualTo(200);
      TestHttpClient.Response dropped = client.get("/blobs/10/dropped?close-before-headers=1").read();

      assertThat(dropped.status()).isEqualTo(502);
    }
    assertThat(env.origin().stats().requests("/blobs/10/dropped")).isEqualTo(2); // the request and one retry
  }

  @Test
  void freshConnectionClosedBeforeAnswer_notRetried() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.get("/blobs/10/dropped-fresh?close-before-headers=1").read().status()).isEqualTo(502);
    }
    assertThat(env.origin().stats().requests("/blobs/10/dropped-fresh")).isEqualTo(1);
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
  }
}
