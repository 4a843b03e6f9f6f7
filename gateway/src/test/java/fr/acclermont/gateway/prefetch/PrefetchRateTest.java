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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prefetch.max-rate} reaches the runs: the prefetch's fetches are paced by a token bucket
 * of that rate holding one run (a tenth of a second's worth, 64 KiB to a slice), every byte they
 * bring is taken from it, and the object still comes whole, each byte once. The bucket's
 * arithmetic (when a fetch may start) is asserted exactly on a clock the test moves in
 * {@code PrefetchPartsTest}; the rate the origin sees in real time is a measurement, not a test.
 */
class PrefetchRateTest {

  private static final long BYTES = 3L * 1024 * 1024;
  /** 8mbit. */
  private static final long RATE = 1_000_000;

  @TempDir
  Path dir;

  @Test
  void maxRate_8mbit_runsPacedByABucketOfThatRateAndEveryByteOnce() throws Exception {
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/blobs/3MiB/rate\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 8mbit }", Clock.systemUTC())) {

      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);

      PrefetchMeans means = gateway.prefetcher().means();
      assertThat(means).isNotNull();
      assertThat(means.bucket().capped()).isTrue();
      assertThat(means.bucket().bytesPerSecond()).as("the bucket's rate").isEqualTo(RATE);
      assertThat(means.runBytes()).as("a run: a tenth of a second at the rate").isEqualTo(RATE / 10);
      assertThat(means.bucket().capacity()).as("the bucket holds one run").isEqualTo(RATE / 10);
      assertThat(means.bucket().takenBytes()).as("bytes taken from the bucket").isEqualTo(BYTES);
      assertThat(origin.stats().bodyBytes("/blobs/3MiB/rate")).isEqualTo(BYTES);
      assertThat(origin.stats().bytesSentMoreThanOnce("/blobs/3MiB/rate")).isZero();
      assertThat(gateway.prefetcher().status().bytes()).isEqualTo(BYTES);
      assertThat(gateway.metrics().registry().get("gateway.prefetch.bytes").functionCounter().count())
          .isEqualTo(BYTES);
    }
  }
}
