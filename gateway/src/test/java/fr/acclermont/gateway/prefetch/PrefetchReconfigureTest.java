package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.PrefetchConfig;
import fr.acclermont.gateway.config.PrefetchWindow;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reloaded {@code prefetch} applied live ({@link Prefetcher#reconfigure}): turned on from off, a
 * run under way stopped after its object and the pass gone on with the new lists (what it did not
 * asked for again: the first object is {@code no-cache}, it would be revalidated), turned off, and
 * an equal configuration that changes nothing. The new configurations are built here; the reload
 * that reads them from the file is not this class's.
 */
class PrefetchReconfigureTest {

  private static final String ALL_DAY = "00:00-24:00";

  @TempDir
  Path dir;

  private static PrefetchConfig lists(Path... lists) {
    return new PrefetchConfig(List.of(lists).stream().map(Path::toString).toList(), List.of(), 0, ZoneOffset.UTC,
        PrefetchConfig.DEFAULT_ACCEPT_ENCODING, PrefetchConfig.DEFAULT_LIST_REFRESH);
  }

  /** No lists (off), but a window open all day: it must start nothing. */
  private static PrefetchConfig offWithAWindow() {
    return new PrefetchConfig(List.of(), List.of(PrefetchWindow.parse(ALL_DAY)), 0, ZoneOffset.UTC,
        PrefetchConfig.DEFAULT_ACCEPT_ENCODING, PrefetchConfig.DEFAULT_LIST_REFRESH);
  }

  @Test
  void offAtStart_turnedOn_prefetchNowFetchesTheList_closeStopsTheThread() throws Exception {
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/blobs/64KiB/on-a\n/blobs/64KiB/on-b\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
        Gateway gateway = TestGateways.start(origin.baseUri(), "", new MutableClock())) {
      Prefetcher prefetcher = gateway.prefetcher();
      assertThat(prefetcher.status()).isEqualTo(PrefetchStatus.off());
      assertThat(prefetcher.startNow()).as("off: nothing to run").isEqualTo(PrefetchStatus.off());

      prefetcher.reconfigure(lists(list));
      PrefetchStatus asked = prefetcher.startNow();

      assertThat(asked.state()).isEqualTo(PrefetchStatus.State.RUNNING);
      await().atMost(Duration.ofSeconds(20)).until(() -> prefetcher.status().state() == PrefetchStatus.State.DONE);
      assertThat(prefetcher.status().objectsDone()).isEqualTo(2);
      assertThat(origin.stats().requests("/blobs/64KiB/on-a")).isEqualTo(1);
      assertThat(origin.stats().requests("/blobs/64KiB/on-b")).isEqualTo(1);
    }
    // The thread started by the reconfiguration is stopped with the gateway.
    await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("gateway-prefetch") && t.isAlive()));
  }

  @Test
  void runUnderWay_newList_oldRunStopsAfterItsObject_thePassGoesOnWithTheNewList() throws Exception {
    String first = "/blobs/64KiB/re-1";
    String held = "/blobs/64KiB/re-2";
    PrefetchYieldTest.Hold hold = new PrefetchYieldTest.Hold(held);
    Path oldList = Files.writeString(dir.resolve("old.txt"),
        first + "?cc=no-cache\n" + held + "\n/blobs/64KiB/re-3\n");
    Path newList = Files.writeString(dir.resolve("new.txt"),
        first + "?cc=no-cache\n/blobs/64KiB/re-new-1\n/blobs/64KiB/re-new-2\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder()
            .pipelineCustomizer(pipeline -> pipeline.addFirst(hold)).build());
        Gateway gateway = TestGateways.start(origin.baseUri(), """
            prefetch: { lists: ["%s"], time-zone: UTC, max-rate: 0 }
            """.formatted(oldList), new MutableClock())) {
      Prefetcher prefetcher = gateway.prefetcher();
      try {
        prefetcher.startNow();
        assertThat(hold.holding.await(10, TimeUnit.SECONDS)).isTrue();

        prefetcher.reconfigure(lists(newList));
        PrefetchStatus during = prefetcher.check().get(); // after the reconfiguration, on the same thread
        assertThat(during.state()).as("the old run waits for its object").isEqualTo(PrefetchStatus.State.RUNNING);
      } finally {
        hold.release();
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> prefetcher.status().state() == PrefetchStatus.State.DONE);
      PrefetchStatus done = prefetcher.status();
      assertThat(done.objectsDone()).as("the new list's three, the first done before").isEqualTo(3);
      assertThat(done.objectsTotal()).isEqualTo(3);
      assertThat(done.objectsFailed()).isZero();
      assertThat(origin.stats().requests("/blobs/64KiB/re-1")).as("not revalidated again").isEqualTo(1);
      assertThat(origin.stats().requests(held)).isEqualTo(1);
      assertThat(origin.stats().requests("/blobs/64KiB/re-3")).as("the old run stopped").isZero();
      assertThat(origin.stats().requests("/blobs/64KiB/re-new-1")).isEqualTo(1);
      assertThat(origin.stats().requests("/blobs/64KiB/re-new-2")).isEqualTo(1);
    }
  }

  @Test
  void turnedOff_theRunStops_idle_noFurtherRequests() throws Exception {
    String held = "/blobs/64KiB/off-2";
    PrefetchYieldTest.Hold hold = new PrefetchYieldTest.Hold(held);
    Path list = Files.writeString(dir.resolve("prefetch.txt"),
        "/blobs/64KiB/off-1\n" + held + "\n/blobs/64KiB/off-3\n");
    MutableClock clock = new MutableClock();
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder()
            .pipelineCustomizer(pipeline -> pipeline.addFirst(hold)).build());
        Gateway gateway = TestGateways.start(origin.baseUri(), """
            prefetch: { lists: ["%s"], windows: ["%s"], time-zone: UTC, max-rate: 0 }
            """.formatted(list, ALL_DAY), clock)) {
      Prefetcher prefetcher = gateway.prefetcher();
      try {
        prefetcher.startNow(); // or the window's run
        assertThat(hold.holding.await(10, TimeUnit.SECONDS)).isTrue();

        prefetcher.reconfigure(offWithAWindow());
        prefetcher.check().get();
      } finally {
        hold.release();
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> prefetcher.status().equals(PrefetchStatus.off()));
      // Off at once; the old run ends after the object it was fetching, and asks for no other.
      await().atMost(Duration.ofSeconds(20)).until(() -> origin.stats().bodyBytes(held) == 64 * 1024);
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
          .until(() -> origin.stats().requests("/blobs/64KiB/off-3") == 0);
      long requests = origin.stats().requests();
      assertThat(prefetcher.startNow()).isEqualTo(PrefetchStatus.off());
      clock.advance(Duration.ofMinutes(5));
      assertThat(prefetcher.check().get()).as("a window open: still off").isEqualTo(PrefetchStatus.off());
      assertThat(origin.stats().requests()).isEqualTo(requests);
      assertThat(origin.stats().requests("/blobs/64KiB/off-3")).isZero();
      // Idle, no ticks: the thread waits for a task without a deadline (a tick would be TIMED_WAITING).
      await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("gateway-prefetch") && t.isAlive())
          .allMatch(t -> t.getState() == Thread.State.WAITING));
    }
  }

  @Test
  void equalConfiguration_nothingRuns_statusUnchanged() throws Exception {
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/blobs/64KiB/same-a\n");
    MutableClock clock = new MutableClock();
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
        Gateway gateway = TestGateways.start(origin.baseUri(), """
            prefetch: { lists: ["%s"], windows: ["%s"], time-zone: UTC, max-rate: 0 }
            """.formatted(list, closedWindow(clock)), clock)) {
      Prefetcher prefetcher = gateway.prefetcher();
      PrefetchStatus before = prefetcher.check().get();
      assertThat(before.state()).isEqualTo(PrefetchStatus.State.WAITING);

      PrefetchConfig same = gateway.config().prefetch();
      prefetcher.reconfigure(new PrefetchConfig(same.lists(), same.windows(), same.maxRate(), same.timeZone(),
          same.acceptEncoding(), same.listRefresh()));
      PrefetchStatus after = prefetcher.check().get();

      assertThat(after).isEqualTo(before);
      assertThat(origin.stats().requests()).isZero();
    }
  }

  /** A window of an hour opening two hours after the clock's time (UTC). */
  private static String closedWindow(MutableClock clock) {
    var from = clock.instant().atZone(ZoneOffset.UTC).toLocalTime().plusHours(2).withSecond(0).withNano(0);
    return "%02d:%02d-%02d:%02d".formatted(from.getHour(), from.getMinute(), from.plusHours(1).getHour(),
        from.plusHours(1).getMinute());
  }
}
