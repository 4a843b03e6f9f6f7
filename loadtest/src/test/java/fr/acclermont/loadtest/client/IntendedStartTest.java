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
 * so. With one connection and N requests queued at once on a server that takes L per response,
 * the k-th to finish cannot have a latency under k x L.
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
  void queuedRequests_oneConnection_kthLatencyAtLeastKDelays() throws Exception {
    ClientOptions oneConnection = new ClientOptions(1, 1, Duration.ofSeconds(10));
    List<RequestResult> results = new ArrayList<>();
    try (LoadClient client = LoadClient.start(Target.parse(origin.baseUri().toString()), oneConnection)) {
      ConnectionPool pool = client.newPool();
      long intendedStart = System.nanoTime();
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
    for (int k = 1; k <= REQUESTS; k++) {
      RequestResult result = results.get(k - 1);
      assertThat(result.error()).as(result.toString()).isNull();
      assertThat(result.timeToFirstByteNanos()).as("request %d", k)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(k * DELAY_MILLIS));
      assertThat(result.timeToCompleteNanos()).isGreaterThanOrEqualTo(result.timeToFirstByteNanos());
    }
  }
}
