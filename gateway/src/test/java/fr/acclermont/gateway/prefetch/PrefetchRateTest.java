package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prefetch.max-rate} holds over a whole prefetch, on the rate cap's own clock: the test's
 * {@link Pacing} moves that clock by each wait the cap asks for and runs the delayed fetch at once.
 * The fetches of 3 MiB at 8mbit, the bucket holding one run (a tenth of a second's worth), must
 * wait in all at least the bytes over the rate, less the bucket and the last run (a fetch starts
 * when the bucket is out of debt, its bytes taken as they come), and at most the bytes over the
 * rate less the bucket, plus one millisecond (a wait lasts until the debt is paid, rounded up to
 * the millisecond); the object comes whole, each byte once. Exact and instant: the rate the
 * origin sees in real time is a measurement, not a test.
 */
class PrefetchRateTest {

  private static final long BYTES = 3L * 1024 * 1024;
  /** 8mbit. */
  private static final long RATE = 1_000_000;
  /** A run, and what the bucket holds: a tenth of a second at the rate. */
  private static final long RUN = RATE / 10;

  @TempDir
  Path dir;

  /** A clock that moves only by the waits asked for; each waiting task runs at once. */
  static final class SteppedPacing implements Pacing {
    final AtomicLong now = new AtomicLong(System.nanoTime());
    final AtomicLong waitedMillis = new AtomicLong();
    final AtomicInteger waits = new AtomicInteger();

    @Override
    public long nanoTime() {
      return now.get();
    }

    @Override
    public void schedule(ScheduledExecutorService executor, Runnable task, long delayMillis) {
      waits.incrementAndGet();
      waitedMillis.addAndGet(delayMillis);
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(delayMillis));
      executor.execute(task);
    }
  }

  @Test
  void maxRate_8mbit_waitsOnTheCapsClockMatchBytesOverRate() throws Exception {
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/blobs/3MiB/rate\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 8mbit }", Clock.systemUTC())) {

      SteppedPacing pacing = new SteppedPacing();
      gateway.prefetcher().pacing(pacing);
      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);

      PrefetchMeans means = gateway.prefetcher().means();
      assertThat(means).isNotNull();
      assertThat(means.bucket().capped()).isTrue();
      assertThat(means.bucket().bytesPerSecond()).as("the bucket's rate").isEqualTo(RATE);
      assertThat(means.runBytes()).as("a run: a tenth of a second at the rate").isEqualTo(RUN);
      assertThat(means.bucket().capacity()).as("the bucket holds one run").isEqualTo(RUN);
      System.out.printf("%d waits, %d ms in all on the cap's clock%n", pacing.waits.get(), pacing.waitedMillis.get());
      assertThat(pacing.waitedMillis.get()).as("ms waited on the cap's clock")
          .isGreaterThanOrEqualTo((BYTES - RUN - RUN) * 1000 / RATE)
          .isLessThanOrEqualTo((BYTES - RUN) * 1000 / RATE + 1);
      assertThat(means.bucket().takenBytes()).as("bytes taken from the bucket").isEqualTo(BYTES);
      assertThat(origin.stats().bodyBytes("/blobs/3MiB/rate")).isEqualTo(BYTES);
      assertThat(origin.stats().bytesSentMoreThanOnce("/blobs/3MiB/rate")).isZero();
      assertThat(gateway.prefetcher().status().bytes()).isEqualTo(BYTES);
      assertThat(gateway.metrics().registry().get("gateway.prefetch.bytes").functionCounter().count())
          .isEqualTo(BYTES);
    }
  }
}
