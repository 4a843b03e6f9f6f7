package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A student is a browser: at most 6 connections to the target, kept alive and reused, however
 * many requests it queues at once. Counted by the server, which sees every connection opened.
 */
class ConnectionLimitTest {

  private static final int REQUESTS = 30;

  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private DemoOrigin origin;

  @BeforeEach
  void start() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().pipelineCustomizer(pipeline -> {
      accepted.incrementAndGet();
      peak.accumulateAndGet(open.incrementAndGet(), Math::max);
      pipeline.channel().closeFuture().addListener(closed -> open.decrementAndGet());
    }).build());
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void pool_thirtyRequestsQueuedAtOnce_neverMoreThanSixConnections() throws Exception {
    ClientOptions defaults = ClientOptions.defaults();
    assertThat(defaults.maxConnectionsPerPool()).isEqualTo(ClientOptions.BROWSER_CONNECTIONS).isEqualTo(6);
    List<CompletableFuture<RequestResult>> results = new ArrayList<>();
    int opened;
    try (LoadClient client = LoadClient.start(Target.parse(origin.baseUri().toString()), defaults)) {
      ConnectionPool pool = client.newPool();
      for (int i = 0; i < REQUESTS; i++) {
        results.add(new CompletableFuture<>());
      }
      // All queued in one task of the pool's loop: no connection can open, let alone finish a
      // request and take the next, between two submissions (a paused test thread could let one).
      pool.eventLoop().submit(() -> {
        long queuedAt = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
          // The delay keeps every connection busy, so the pool would open more if it could.
          pool.submit(RequestSpec.whole(RequestKind.ASSET, "/blobs/4KiB/limit-" + i + "?delay=50", 4096, null),
              queuedAt, results.get(i)::complete);
        }
      }).get(20, TimeUnit.SECONDS);
      for (CompletableFuture<RequestResult> result : results) {
        RequestResult done = result.get(20, TimeUnit.SECONDS);
        assertThat(done.error()).as(done.toString()).isNull();
      }
      opened = pool.connectionsOpened();
    }

    assertThat(accepted.get()).as("connections the server accepted").isEqualTo(6);
    assertThat(peak.get()).as("connections open at once").isEqualTo(6);
    assertThat(opened).as("connections the pool counted").isEqualTo(6);
  }
}
