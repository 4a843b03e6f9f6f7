package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The uplink as clients see it, over real sockets: the total rate never exceeds the bandwidth by
 * more than 10%, over the whole window and over every 1 s window, and connections share it
 * fairly. Only upper bounds are asserted: on a busy machine the rate reached may fall short, which
 * says nothing about the shaper.
 */
class OriginSimulatorShapingTest {

  /** Low enough that the machine is never the bottleneck, so the shaper is what is measured. */
  private static final Bandwidth BANDWIDTH = Bandwidth.parse("20mbit");
  private static final double TOLERANCE = 1.10;
  /** Connections set up and reach steady state; the bucket's initial burst falls in here too. */
  private static final Duration WARM_UP = Duration.ofMillis(250);
  private static final Duration WINDOW = Duration.ofMillis(2_500);
  private static final Duration RUN = WARM_UP.plus(WINDOW).plusMillis(50);
  private static final int ONE_SECOND_BUCKETS = 1_000 / RateProbe.BUCKET_MILLIS;

  private OriginSimulator origin;

  @AfterEach
  void tearDown() {
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void bandwidth_oneConnection_neverMoreThanTenPercentAbove() throws Exception {
    origin = OriginSimulator.start(OriginSettings.builder().bandwidth(BANDWIDTH).build());

    long[] window = measure(List.of("/blobs/64MiB/alone")).window;

    assertRateCapped(window, "1 connection");
  }

  @Test
  void bandwidth_35ConnectionsOnOneBlob_neverMoreThanTenPercentAboveAndFairlyShared() throws Exception {
    origin = OriginSimulator.start(OriginSettings.builder().bandwidth(BANDWIDTH).build());

    Measurement measured = measure(Collections.nCopies(35, "/blobs/64MiB/same"));

    assertRateCapped(measured.window, "35 connections");
    long[] sorted = measured.perConnection.clone();
    Arrays.sort(sorted);
    long median = sorted[sorted.length / 2];
    System.out.printf("35 connections: min %d, median %d, max %d bytes%n", sorted[0], median, sorted[sorted.length - 1]);
    assertThat(sorted[0]).as("every connection gets a share").isPositive();
    assertThat(sorted[sorted.length - 1]).as("no connection gets more than 3x the median").isLessThanOrEqualTo(3 * median);
  }

  private Measurement measure(List<String> paths) throws Exception {
    try (RateProbe probe = RateProbe.start(origin.port(), paths, RUN)) {
      probe.awaitEnd();
      return new Measurement(probe.buckets(WARM_UP, WARM_UP.plus(WINDOW)), probe.bytesPerConnection());
    }
  }

  private static void assertRateCapped(long[] window, String what) {
    double bytesPerSecond = BANDWIDTH.bytesPerSecond();
    double seconds = WINDOW.toNanos() / 1e9;
    long total = Arrays.stream(window).sum();
    long maxOneSecond = RateProbe.maxInAnyWindow(window, ONE_SECOND_BUCKETS);
    System.out.printf("%s: %.0f bytes/s over %.1f s (%.1f%% of the bandwidth), busiest second %d bytes (%.1f%%)%n",
        what, total / seconds, seconds, 100 * total / seconds / bytesPerSecond, maxOneSecond,
        100 * maxOneSecond / bytesPerSecond);
    assertThat((double) total).as("bytes over the window").isLessThanOrEqualTo(TOLERANCE * bytesPerSecond * seconds);
    assertThat((double) maxOneSecond).as("bytes in the busiest second").isLessThanOrEqualTo(TOLERANCE * bytesPerSecond);
  }

  private record Measurement(long[] window, long[] perConnection) {}
}
