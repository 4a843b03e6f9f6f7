package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run still going at its window's end stops after the object it is fetching, and the pass goes
 * on at the next window where it stopped: what it did is not asked for again (the first object is
 * {@code no-cache}: it would be revalidated), the rest is fetched.
 */
class PrefetchWindowEndTest {

  private static final String HELD = "/blobs/64KiB/window-end-2";

  @TempDir
  Path dir;

  @Test
  void windowEndsMidRun_pausedAfterTheObject_thenTheNextWindowFinishesThePass() throws Exception {
    PrefetchYieldTest.Hold hold = new PrefetchYieldTest.Hold(HELD);
    MutableClock clock = new MutableClock();
    Instant windowStart = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(10));
    LocalTime from = LocalTime.ofInstant(windowStart, ZoneOffset.UTC);
    String window = String.format(Locale.ROOT, "%02d:%02d-%02d:%02d", from.getHour(), from.getMinute(),
        from.plusHours(1).getHour(), from.plusHours(1).getMinute());
    Path list = Files.writeString(dir.resolve("prefetch.txt"),
        "/blobs/64KiB/window-end-1?cc=no-cache\n" + HELD + "\n/blobs/64KiB/window-end-3\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder()
            .pipelineCustomizer(pipeline -> pipeline.addFirst(hold)).build());
        Gateway gateway = TestGateways.start(origin.baseUri(), """
            prefetch: { lists: ["%s"], windows: ["%s"], time-zone: UTC, max-rate: 0 }
            """.formatted(list, window), clock)) {
      try {
        clock.advance(Duration.ofMinutes(11));
        gateway.prefetcher().check().get();
        assertThat(hold.holding.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofHours(2)); // past the window's end, while the second object is fetched
      } finally {
        hold.release();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.WAITING);
      PrefetchStatus paused = gateway.prefetcher().status();
      assertThat(paused.objectsDone()).isEqualTo(2);
      assertThat(paused.objectsTotal()).isEqualTo(3);
      assertThat(paused.nextWindow()).isEqualTo(windowStart.plus(Duration.ofDays(1)));
      assertThat(origin.stats().requests("/blobs/64KiB/window-end-3")).isZero();

      clock.advance(Duration.ofDays(1).minus(Duration.ofHours(2)));
      gateway.prefetcher().check().get();
      await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);

      assertThat(gateway.prefetcher().status().objectsDone()).isEqualTo(3);
      assertThat(origin.stats().requests("/blobs/64KiB/window-end-1")).isEqualTo(1);
      assertThat(origin.stats().requests(HELD)).isEqualTo(1);
      assertThat(origin.stats().requests("/blobs/64KiB/window-end-3")).isEqualTo(1);
    }
  }
}
