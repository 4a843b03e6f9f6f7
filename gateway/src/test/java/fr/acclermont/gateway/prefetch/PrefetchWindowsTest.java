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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prefetching keeps to its windows, read on the gateway's clock (a test clock here): outside them
 * nothing is fetched and the status says when the next one opens; inside, the lists are fetched;
 * "prefetch now" runs at once outside them; a run completed in a window's occurrence is not run
 * again in that occurrence.
 */
class PrefetchWindowsTest {

  private static final String LIST = "/blobs/64KiB/window-a\n# a comment\n\n/blobs/300KiB/window-b\n";

  @TempDir
  Path dir;

  private DemoOrigin origin;
  private Gateway gateway;
  private MutableClock clock;
  /** The window opens 10 minutes after the test's start and lasts an hour (UTC). */
  private Instant windowStart;

  @BeforeEach
  void start() throws Exception {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    clock = new MutableClock();
    windowStart = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(10));
    LocalTime from = LocalTime.ofInstant(windowStart, ZoneOffset.UTC);
    String window = String.format(Locale.ROOT, "%02d:%02d-%02d:%02d", from.getHour(), from.getMinute(),
        from.plusHours(1).getHour(), from.plusHours(1).getMinute());
    Path list = Files.writeString(dir.resolve("prefetch.txt"), LIST);
    gateway = TestGateways.start(origin.baseUri(), """
        prefetch: { lists: ["%s"], windows: ["%s"], time-zone: UTC, max-rate: 0 }
        """.formatted(list, window), clock);
  }

  @AfterEach
  void stop() {
    gateway.close();
    origin.close();
  }

  @Test
  void outsideTheWindow_nothingFetched_thenInside_theListIsFetched() throws Exception {
    PrefetchStatus before = gateway.prefetcher().check().get();

    assertThat(before.state()).isEqualTo(PrefetchStatus.State.WAITING);
    assertThat(before.nextWindow()).isEqualTo(windowStart);
    assertThat(origin.stats().requests()).isZero();

    clock.advance(Duration.ofMinutes(11));
    gateway.prefetcher().check().get();

    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
        == PrefetchStatus.State.DONE);
    PrefetchStatus after = gateway.prefetcher().status();
    assertThat(after.objectsDone()).isEqualTo(2);
    assertThat(after.objectsTotal()).isEqualTo(2);
    assertThat(after.objectsFailed()).isZero();
    assertThat(after.bytes()).isEqualTo((64 + 300) * 1024);
    assertThat(origin.stats().bytes("/blobs/64KiB/window-a")).isEqualTo(64 * 1024);
    assertThat(origin.stats().bytes("/blobs/300KiB/window-b")).isEqualTo(300 * 1024);
  }

  @Test
  void completedInAWindow_notRunAgainInIt_butInTheNextOne() throws Exception {
    clock.advance(Duration.ofMinutes(11));
    gateway.prefetcher().check().get();
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
        == PrefetchStatus.State.DONE);
    long requests = origin.stats().requests();

    clock.advance(Duration.ofMinutes(5));
    PrefetchStatus sameWindow = gateway.prefetcher().check().get();

    assertThat(sameWindow.state()).isEqualTo(PrefetchStatus.State.DONE);
    assertThat(origin.stats().requests()).isEqualTo(requests);
    assertThat(sameWindow.nextWindow()).isEqualTo(windowStart.plus(Duration.ofDays(1)));
  }

  @Test
  void prefetchNow_outsideTheWindow_runsAtOnce() {
    PrefetchStatus asked = gateway.prefetcher().startNow();

    assertThat(asked.state()).isEqualTo(PrefetchStatus.State.RUNNING);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
        == PrefetchStatus.State.DONE);
    assertThat(gateway.prefetcher().status().objectsDone()).isEqualTo(2);
    assertThat(origin.stats().requests("/blobs/64KiB/window-a")).isEqualTo(1);
  }
}
