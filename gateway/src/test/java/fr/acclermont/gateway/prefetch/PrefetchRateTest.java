package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prefetch.max-rate} holds at the origin: the time from the first byte of the first prefetch
 * request the origin reads to the last response byte it writes is at least the bytes over the rate,
 * less a generous margin (30%, for the burst of one run). No upper bound is asserted.
 */
class PrefetchRateTest {

  private static final long BYTES = 3L * 1024 * 1024;
  /** 8mbit. */
  private static final long RATE = 1_000_000;

  @TempDir
  Path dir;

  /** Timestamps of the origin's first read and last written byte, over every connection. */
  @ChannelHandler.Sharable
  static final class OriginTiming extends ChannelDuplexHandler {
    final AtomicLong firstRead = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastWrite = new AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      firstRead.accumulateAndGet(System.nanoTime(), Math::min);
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ctx.write(msg, promise.unvoid().addListener(f -> lastWrite.accumulateAndGet(System.nanoTime(), Math::max)));
    }
  }

  @Test
  void maxRate_originSideDuration_atLeastBytesOverRate() throws Exception {
    OriginTiming timing = new OriginTiming();
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/blobs/3MiB/rate\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder()
            .pipelineCustomizer(pipeline -> pipeline.addFirst(timing)).build());
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 8mbit }", Clock.systemUTC())) {

      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);

      double seconds = (timing.lastWrite.get() - timing.firstRead.get()) / 1e9;
      assertThat(seconds).as("origin-side duration of %d bytes at %d bytes/s", BYTES, RATE)
          .isGreaterThanOrEqualTo(0.7 * BYTES / RATE);
      assertThat(origin.stats().bodyBytes("/blobs/3MiB/rate")).isEqualTo(BYTES);
      assertThat(origin.stats().bytesSentMoreThanOnce("/blobs/3MiB/rate")).isZero();
      assertThat(gateway.prefetcher().status().bytes()).isEqualTo(BYTES);
      assertThat(gateway.metrics().registry().get("gateway.prefetch.bytes").functionCounter().count())
          .isEqualTo(BYTES);
    }
  }
}
