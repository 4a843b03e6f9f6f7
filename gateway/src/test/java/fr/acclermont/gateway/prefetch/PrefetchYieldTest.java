package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prefetch yields to live requests: with a single fetch allowed to the origin
 * ({@code max-fetches: 1}) and the origin holding the prefetch's request until the test lets it go,
 * a client's miss of another object is fetched and served meanwhile, without waiting for it; once
 * let go, the prefetch completes, each byte fetched once.
 */
class PrefetchYieldTest {

  private static final String BIG = "/blobs/512KiB/yield-big";

  @TempDir
  Path dir;

  /**
   * At the head of the origin's pipeline: holds its requests for one path (their raw bytes, the
   * request line first) until {@link #release()}; the others go through.
   */
  @ChannelHandler.Sharable
  static final class Hold extends ChannelInboundHandlerAdapter {
    final CountDownLatch holding = new CountDownLatch(1);
    private final String path;
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private volatile boolean released;

    Hold(String path) {
      this.path = path;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!released && msg instanceof ByteBuf bytes
          && bytes.toString(StandardCharsets.US_ASCII).startsWith("GET " + path)) {
        held.add(() -> ctx.fireChannelRead(msg));
        holding.countDown();
        return;
      }
      ctx.fireChannelRead(msg);
    }

    void release() {
      released = true;
      held.forEach(Runnable::run);
    }
  }

  @Test
  void liveMiss_duringAPrefetch_servedWithoutWaitingForIt() throws Exception {
    Hold hold = new Hold(BIG);
    Path list = Files.writeString(dir.resolve("prefetch.txt"), BIG + "\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder()
            .pipelineCustomizer(pipeline -> pipeline.addFirst(hold)).build());
        Gateway gateway = TestGateways.start(origin.baseUri(), """
            origins:
              - { name: cloud, url: "%s", paths: ["/blobs/"], max-fetches: 1, response-timeout: 30s }
            cache: { slice-size: 256KiB }
            prefetch: { lists: ["%s"], max-rate: 0 }
            """.formatted(origin.baseUri(), list), Clock.systemUTC())) {

      try {
        gateway.prefetcher().startNow();
        assertThat(hold.holding.await(10, TimeUnit.SECONDS)).as("the prefetch's request reached the origin")
            .isTrue();

        TestHttpClient.Response live;
        try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(10_000)) {
          live = client.get("/blobs/64KiB/yield-live").read();
        }

        assertThat(live.status()).isEqualTo(200);
        assertThat(live.bodyLength()).isEqualTo(64 * 1024);
        assertThat(live.header("cache-status")).contains("fwd=miss");
        assertThat(gateway.prefetcher().status().state()).isEqualTo(PrefetchStatus.State.RUNNING);
        assertThat(origin.stats().bodyBytes(BIG)).as("the prefetch's request is still held").isZero();
      } finally {
        hold.release(); // never a held request left unread
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);
      assertThat(gateway.prefetcher().status().objectsDone()).isEqualTo(1);
      assertThat(origin.stats().bodyBytes(BIG)).isEqualTo(512 * 1024);
      assertThat(origin.stats().bytesSentMoreThanOnce(BIG)).isZero();
      assertThat(origin.stats().requests("/blobs/64KiB/yield-live")).isEqualTo(1);
    }
  }
}
