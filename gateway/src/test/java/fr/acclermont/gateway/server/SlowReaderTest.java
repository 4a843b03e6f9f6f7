package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slow readers ({@code timeouts.idle-write}, 1 s here): a client that reads nothing of a large
 * response holds no more than its connection's write buffer high water mark (2 MiB) plus one piece
 * in the gateway, and is closed once none of it is taken for the timeout, the access log saying
 * {@code timeout}; other clients go on meanwhile. A client reading slowly but steadily is never
 * cut. Both through the store (slices) and straight through from the origin ({@code no-store}).
 */
class SlowReaderTest {

  /** The client connections' high water mark ({@code EdgeServer}), plus the largest piece written at once, plus a head. */
  private static final long MAX_PENDING = (2L << 20) + (1L << 20) + 64 * 1024;
  private static final Path LOG = tempFile();

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension(
      "timeouts: { idle-write: 1s }\naccess-log: { path: '" + LOG + "' }\n");

  private static Path tempFile() {
    try {
      Path file = Files.createTempFile("slow-reader-test-", ".log");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/blobs/32MiB/reads-nothing", "/blobs/32MiB/reads-nothing-unstored?cc=no-store"})
  void readsNothing_holdsAtMostTheWaterMark_closedAfterIdleWrite_othersServed(String target) throws Exception {
    AtomicLong maxPending = new AtomicLong();
    try (TestHttpClient stalled = TestHttpClient.connect(env.gateway().port(), 64 * 1024)) {
      stalled.get(target); // and reads nothing

      // Another client is served meanwhile.
      try (TestHttpClient other = TestHttpClient.connect(env.gateway().port())) {
        TestHttpClient.Response response = other.get("/blobs/100KiB/while-one-stalls").read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyLength()).isEqualTo(100 * 1024);
      }

      // Until the gateway closes the stalled connection (the other one has closed too), what it
      // queues for it stays under the water mark.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
        var pending = env.gateway().clientPendingBytes();
        pending.forEach(p -> maxPending.accumulateAndGet(p, Math::max));
        return pending.isEmpty();
      });

      assertThat(maxPending.get()).as("bytes queued for the client that reads nothing")
          .isPositive().isLessThanOrEqualTo(MAX_PENDING);
      // What sat in the socket buffers comes, then the end: never the whole body.
      assertThat(stalled.readRaw(32L << 20)).isLessThan(32L << 20);
    }
    // Closed by the write-stall watch (idle-write), not for another reason: the line says timeout.
    // When it closes (at the timeout, not before) is asserted on a frozen clock in WriteStallHandlerTest.
    String path = target.replaceAll("\\?.*", "");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
        .anyMatch(line -> line.contains("\"path\":\"" + path) && line.contains("\"end\":\"timeout\"")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/blobs/12MiB/reads-steadily", "/blobs/12MiB/reads-steadily-unstored?cc=no-store"})
  void readsSlowlyButSteadily_notCut(String target) throws Exception {
    try (TestHttpClient steady = TestHttpClient.connect(env.gateway().port(), 64 * 1024)) {
      steady.get(target);
      TestHttpClient.Head head = steady.readStatusAndHeaders();
      assertThat(head.status()).isEqualTo(200);
      long length = 12L << 20;
      assertThat(head.headers().get("content-length")).containsExactly(Long.toString(length));
      long read = 0;
      long slowUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      boolean queued = false;
      // 64 KiB every 200 ms for 4 s (4 times idle-write): the gateway has bytes queued all along.
      while (System.nanoTime() < slowUntil) {
        read += steady.readRaw(64 * 1024);
        queued |= env.gateway().clientPendingBytes().stream().anyMatch(p -> p > 0);
        Thread.sleep(200); // the reader's pace is the subject of the test
      }
      assertThat(queued).as("bytes waited in the gateway for the slow reader").isTrue();
      // Then at full speed: the whole body comes.
      assertThat(steady.readRaw(length - read)).as("the rest of the body").isEqualTo(length - read);
    }
  }

  @Test
  void idleConnectionWithNothingQueued_notCutByIdleWrite() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.get("/blobs/10KiB/then-idle").read().status()).isEqualTo(200);
      Thread.sleep(2_500); // longer than idle-write, shorter than keep-alive: nothing to wait for instead
      assertThat(client.get("/blobs/10KiB/then-idle").read().status()).isEqualTo(200);
    }
  }
}
