package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The uplink as clients see it, over real sockets, on a clock the test moves: the simulator's
 * shared bucket runs on a {@link ManualTimer}, stepped {@value #STEP_MILLIS} ms at a time. After
 * each step the test waits until the connections have sent what was paid for and asked again,
 * so what is asserted is exact whatever the machine's speed: every byte the clients receive was
 * paid for by the one bucket (the shaper is on every connection, before everything else), the
 * bytes paid in any interval of the clock never exceed the burst plus the rate over it, the
 * waiting connections get all of the rate, and connections share it fairly. The rates reached
 * in real time are the load tool's to measure ({@code loadtest.jar origin --bandwidth}).
 */
@Timeout(120)
class OriginSimulatorShapingTest {

  private static final Bandwidth BANDWIDTH = Bandwidth.parse("20mbit");
  private static final int STEP_MILLIS = 2;
  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final ManualTimer timer = new ManualTimer();
  private final List<Socket> sockets = new ArrayList<>();
  private OriginSimulator origin;
  private UplinkShaper uplink;

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void bandwidth_oneConnection_neverAboveBurstPlusRateInAnyIntervalAndAllBytesMetered() throws Exception {
    long[] granted = run(List.of("/blobs/64MiB/alone"), 500).granted;

    assertRateCapped(granted);
  }

  @Test
  void bandwidth_35ConnectionsOnOneBlob_neverAboveBurstPlusRateAndSharedInTurn() throws Exception {
    Run run = run(Collections.nCopies(35, "/blobs/64MiB/same"), 1_000);

    assertRateCapped(run.granted);
    long[] sorted = run.perConnection.clone();
    Arrays.sort(sorted);
    long median = sorted[sorted.length / 2];
    System.out.printf("35 connections: min %d, median %d, max %d bytes%n", sorted[0], median, sorted[sorted.length - 1]);
    assertThat(sorted[0]).as("every connection gets a share").isPositive();
    // Turns of at most one piece, in FIFO order: a connection is at most one turn into the round
    // ahead of another, plus the piece the first one took at once from the full bucket, plus a
    // first turn that held only a head.
    assertThat(sorted[sorted.length - 1] - sorted[0]).as("bytes between the most and the least served")
        .isLessThan(3L * UplinkShaper.PIECE_BYTES);
  }

  /**
   * Opens one connection per path, then moves the clock {@code steps} times; returns the bytes
   * paid for by each step's end (index 0: before the first step) and the bytes each connection
   * received.
   */
  private Run run(List<String> paths, int steps) throws Exception {
    origin = OriginSimulator.start(OriginSettings.builder().bandwidth(BANDWIDTH).build(), bytesPerSecond -> {
      uplink = new UplinkShaper(bytesPerSecond, timer::nanoTime, timer);
      return uplink;
    });
    AtomicLongArray received = new AtomicLongArray(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      Socket socket = new Socket();
      sockets.add(socket);
      socket.connect(new InetSocketAddress("127.0.0.1", origin.port()));
      socket.getOutputStream().write(("GET " + paths.get(i) + " HTTP/1.1\r\nHost: shaping\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      int connection = i;
      Thread reader = new Thread(() -> count(socket, received, connection), "shaping-client-" + i);
      reader.setDaemon(true);
      reader.start();
    }
    long[] granted = new long[steps + 1];
    granted[0] = settle(received, paths.size());
    for (int step = 1; step <= steps; step++) {
      timer.runFor(STEP_NANOS);
      granted[step] = settle(received, paths.size());
    }
    long[] perConnection = new long[paths.size()];
    for (int i = 0; i < perConnection.length; i++) {
      perConnection[i] = received.get(i);
    }
    return new Run(granted, perConnection);
  }

  /**
   * Waits until every connection waits for tokens and the clients have received every byte paid
   * for; returns the bytes paid for.
   */
  private long settle(AtomicLongArray received, int connections) {
    await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(
        () -> uplink.waitingFlows() == connections && total(received) == uplink.grantedBytes());
    return uplink.grantedBytes();
  }

  private void assertRateCapped(long[] granted) {
    long burst = uplink.burstBytes();
    long perStep = BANDWIDTH.bytesPerSecond() * STEP_NANOS / TimeUnit.SECONDS.toNanos(1);
    int steps = granted.length - 1;
    System.out.printf("%d bytes paid over %d ms of the uplink's clock (rate %d bytes/ms, burst %d)%n",
        granted[steps], steps * STEP_MILLIS, perStep / STEP_MILLIS, burst);
    long worst = Long.MIN_VALUE;
    for (int from = 0; from < steps; from++) {
      for (int to = from + 1; to <= steps; to++) {
        worst = Math.max(worst, granted[to] - granted[from] - (burst + perStep * (to - from)));
      }
    }
    assertThat(worst).as("bytes paid in the worst interval of whole steps, beyond burst + rate x interval")
        .isLessThanOrEqualTo(0);
    assertThat(granted[0]).as("bytes paid before the clock moved").isLessThanOrEqualTo(burst);
    assertThat(granted[steps]).as("bytes paid: waiting connections get every token")
        .isGreaterThanOrEqualTo(perStep * steps);
  }

  private static long total(AtomicLongArray received) {
    long sum = 0;
    for (int i = 0; i < received.length(); i++) {
      sum += received.get(i);
    }
    return sum;
  }

  private static void count(Socket socket, AtomicLongArray received, int connection) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = socket.getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.addAndGet(connection, n);
      }
    } catch (IOException e) {
      if (!socket.isClosed()) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private record Run(long[] granted, long[] perConnection) {}
}
