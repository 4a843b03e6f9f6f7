package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coordinated omission: a request that waits for a connection is late, and its latency must say
 * so. With one connection and N requests queued at once (each made slow by the origin, so they
 * do queue), each is sent only once the one before has ended, and its latency, measured from the
 * moment all were queued, includes that wait: it is at least the previous one's whole latency.
 * Orderings of the client's own clock readings, no bound on a time.
 */
class IntendedStartTest {

  private static final long DELAY_MILLIS = 100;
  private static final int REQUESTS = 5;

  private static DemoOrigin origin;

  @BeforeAll
  static void start() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @Test
  void queuedRequests_oneConnection_eachLatencyIncludesTheWaitForThoseBefore() throws Exception {
    ClientOptions oneConnection = new ClientOptions(1, 1, Duration.ofSeconds(10));
    List<RequestResult> results = new ArrayList<>();
    long intendedStart = System.nanoTime();
    try (LoadClient client = LoadClient.start(Target.parse(origin.baseUri().toString()), oneConnection)) {
      ConnectionPool pool = client.newPool();
      List<CompletableFuture<RequestResult>> futures = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        CompletableFuture<RequestResult> future = new CompletableFuture<>();
        pool.submit(RequestSpec.whole(RequestKind.ASSET, "/blobs/4KiB/co-" + i + "?delay=" + DELAY_MILLIS, 4096, null),
            intendedStart, future::complete);
        futures.add(future);
      }
      for (CompletableFuture<RequestResult> future : futures) {
        results.add(future.get(10, TimeUnit.SECONDS));
      }
      assertThat(pool.connectionsOpened()).isEqualTo(1);
    }
    results.sort(Comparator.comparingLong(RequestResult::endNanos));
    RequestResult previous = null;
    for (int k = 1; k <= REQUESTS; k++) {
      RequestResult result = results.get(k - 1);
      assertThat(result.error()).as(result.toString()).isNull();
      assertThat(result.intendedStartNanos()).as("request %d measured from", k).isEqualTo(intendedStart);
      assertThat(result.timeToFirstByteNanos()).as("request %d", k)
          .isEqualTo(result.firstByteNanos() - intendedStart);
      assertThat(result.firstByteNanos()).as("request %d's head after it was sent", k)
          .isGreaterThanOrEqualTo(result.sentNanos());
      if (previous != null) {
        assertThat(result.sentNanos()).as("request %d sent after request %d ended", k, k - 1)
            .isGreaterThanOrEqualTo(previous.endNanos());
        assertThat(result.timeToFirstByteNanos()).as("request %d's latency includes request %d's", k, k - 1)
            .isGreaterThanOrEqualTo(previous.timeToCompleteNanos());
      }
      assertThat(result.timeToCompleteNanos()).isGreaterThanOrEqualTo(result.timeToFirstByteNanos());
      previous = result;
    }
  }
}
