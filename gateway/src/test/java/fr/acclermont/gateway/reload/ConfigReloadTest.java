package fr.acclermont.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.metrics.ReloadMeters.Result;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.prefetch.PrefetchStatus;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading the configuration file (issue #19, point 2): what may change live is applied, and a
 * download under way goes on; what needs a restart, or an invalid file, is refused and the running
 * configuration stays. A real gateway read from a real file, in front of real sockets; the reload
 * is {@link Gateway#reload} here (SIGHUP in {@link ReloadSignalTest}, {@code POST /reload} in
 * {@link ReloadEndpointTest}).
 */
class ConfigReloadTest {

  @TempDir
  Path work;

  private HeldOrigin origin;
  private Path file;
  private Gateway gateway;

  @BeforeEach
  void start() throws IOException {
    origin = HeldOrigin.start();
    file = work.resolve("gateway.yaml");
    write("");
    gateway = Gateway.start(ConfigLoader.load(file, Map.of()), Clock.systemUTC(), file, Map.of());
  }

  @AfterEach
  void stop() throws IOException {
    origin.release();
    gateway.close();
    origin.close();
  }

  /** The test template in front of the held origin (response timeout 30 s), {@code extra} merged. */
  private void write(String extra) throws IOException {
    writeOrigins(origins("30s"), extra);
  }

  private void writeOrigins(String origins, String extra) throws IOException {
    Files.writeString(file, TestGateways.yaml(origin.baseUri(), origins + extra));
  }

  /** The held origin for /blobs/, with long timeouts but {@code responseTimeout}. */
  private String origins(String responseTimeout) {
    return """
        origins:
          - name: cloud
            url: %s
            paths: ["/blobs/"]
            response-timeout: %s
            idle-timeout: 30s
        """.formatted(origin.baseUri(), responseTimeout);
  }

  private ReloadOutcome reload() throws Exception {
    return gateway.reload().get(30, TimeUnit.SECONDS);
  }

  /**
   * The done-when of #19: a reload changes an origin's response timeout while a download from it is
   * under way; the download completes with the origin's bytes, and the next exchange waits for the
   * new timeout (a 504 from 1 s, where the old one waited 30 s), on the same route.
   */
  @Test
  void reload_originTimeoutChanged_downloadUnderWayCompletes_newExchangesUseNewTimeout() throws Exception {
    OriginRoute before = gateway.router().named("cloud");
    try (TestHttpClient download = TestHttpClient.connect(gateway.port())) {
      TestHttpClient.Head head = download.get("/blobs/held").readStatusAndHeaders();
      assertThat(head.status()).isEqualTo(200);
      assertThat(origin.awaitFirstHalf(10)).isTrue();

      writeOrigins(origins("1s"), "");
      ReloadOutcome outcome = reload();

      assertThat(outcome.result()).isEqualTo(Result.APPLIED);
      assertThat(outcome.message()).contains("origins");
      assertThat(gateway.router().named("cloud")).isSameAs(before);
      assertThat(before.config().responseTimeout()).isEqualTo(Duration.ofSeconds(1));
      try (TestHttpClient other = TestHttpClient.connect(gateway.port()).timeout(20_000)) {
        assertThat(other.get("/blobs/stall").read().status()).isEqualTo(504);
      }

      origin.release();
      TestHttpClient.Response body = download.readBodyDigestOnly(head);
      assertThat(body.complete()).isTrue();
      assertThat(body.sha256()).isEqualTo(TestHttpClient.sha256(HeldOrigin.BODY));
    }
    assertThat(origin.received()).filteredOn(t -> t.startsWith("/blobs/held")).hasSize(1);
  }

  @Test
  void reload_listenPortChanged_refusedNamingTheKey_runningConfigurationKept() throws Exception {
    var running = gateway.config();
    write("server: { port: 1 }\ncache: { slice-size: 2MiB }\n");

    ReloadOutcome outcome = reload();

    assertThat(outcome.result()).isEqualTo(Result.RESTART_REQUIRED);
    assertThat(outcome.message()).contains("server.port").contains("cache.slice-size").contains("restart");
    assertThat(gateway.config()).isSameAs(running);
    assertThat(gateway.metrics().scrape())
        .contains("gateway_config_reloads_total{result=\"restart-required\"} 1.0")
        .contains("gateway_config_last_reload_successful 0.0");
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      assertThat(client.get("/blobs/small").read().status()).isEqualTo(200);
    }
  }

  @Test
  void reload_invalidFile_refusedNamingTheKey_runningConfigurationKept() throws Exception {
    var running = gateway.config();
    write("limits: { max-headers: lots }\n");

    ReloadOutcome outcome = reload();

    assertThat(outcome.result()).isEqualTo(Result.INVALID);
    assertThat(outcome.message()).contains(file + ":").contains("limits.max-headers");
    assertThat(gateway.config()).isSameAs(running);
    assertThat(gateway.metrics().scrape()).contains("gateway_config_reloads_total{result=\"invalid\"} 1.0");
  }

  @Test
  void reload_sameFile_unchanged_thenAFixedFileIsApplied() throws Exception {
    assertThat(reload().result()).isEqualTo(Result.UNCHANGED);

    write("limits: { max-headers: 50 }\n");
    ReloadOutcome applied = reload();

    assertThat(applied.result()).isEqualTo(Result.APPLIED);
    assertThat(applied.message()).contains("limits");
    assertThat(gateway.config().limits().maxHeaders()).isEqualTo(50);
    assertThat(gateway.metrics().scrape())
        .contains("gateway_config_reloads_total{result=\"unchanged\"} 1.0")
        .contains("gateway_config_reloads_total{result=\"applied\"} 1.0")
        .contains("gateway_config_last_reload_successful 1.0");
  }

  /** An origin added is routed to at once and probed and metered; removed, its paths answer 404. */
  @Test
  void reload_originAddedThenRemoved_routedThenNot() throws Exception {
    try (HeldOrigin extra = HeldOrigin.start()) {
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        assertThat(client.get("/extra/a").read().status()).isEqualTo(404);
      }
      writeOrigins(twoOrigins(extra.baseUri()), "");

      ReloadOutcome added = reload();

      assertThat(added.result()).isEqualTo(Result.APPLIED);
      assertThat(added.message()).contains("new routes for extra");
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        assertThat(client.get("/extra/a").read().text()).isEqualTo("ok");
      }
      assertThat(extra.received()).containsExactly("/extra/a");
      assertThat(gateway.metrics().scrape()).contains("gateway_origin_up{origin=\"extra\"} 1.0");

      write("");
      ReloadOutcome removed = reload();

      assertThat(removed.message()).contains("retired extra");
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        assertThat(client.get("/extra/b").read().status()).isEqualTo(404);
      }
      assertThat(extra.received()).containsExactly("/extra/a");
      assertThat(gateway.metrics().scrape()).doesNotContain("gateway_origin_up{origin=\"extra\"}");
    }
  }

  /** A changed URL is a new route under the same name: the old one retires, the cache keys stay. */
  @Test
  void reload_originUrlChanged_newRouteSameName() throws Exception {
    try (HeldOrigin moved = HeldOrigin.start()) {
      OriginRoute before = gateway.router().named("cloud");
      String yaml = Files.readString(file).replace(origin.baseUri().toString(), moved.baseUri().toString());
      Files.writeString(file, yaml);

      ReloadOutcome outcome = reload();

      assertThat(outcome.message()).contains("new routes for cloud").contains("retired cloud");
      assertThat(gateway.router().named("cloud")).isNotSameAs(before);
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        assertThat(client.get("/blobs/after-move").read().text()).isEqualTo("ok");
      }
      assertThat(moved.received()).containsExactly("/blobs/after-move");
      assertThat(gateway.metrics().scrape()).contains("gateway_origin_up{origin=\"cloud\"} 1.0");
    }
  }

  /** Prefetching turned on by a reload: "prefetch now" then fetches the new list's objects. */
  @Test
  void reload_prefetchTurnedOn_prefetchNowFetchesTheList() throws Exception {
    Path list = Files.writeString(work.resolve("prefetch.txt"), "/blobs/p1\n/blobs/p2\n");
    assertThat(gateway.prefetcher().startNow().state()).as("off").isNotEqualTo(PrefetchStatus.State.RUNNING);
    write("prefetch: { lists: [\"" + list + "\"] }\n");

    ReloadOutcome outcome = reload();

    assertThat(outcome.message()).contains("applied prefetch");
    assertThat(gateway.prefetcher().startNow().state()).isEqualTo(PrefetchStatus.State.RUNNING);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> gateway.prefetcher().status().state() == PrefetchStatus.State.DONE);
    assertThat(gateway.prefetcher().status().objectsDone()).isEqualTo(2);
    assertThat(origin.received()).filteredOn(t -> t.startsWith("/blobs/p")).hasSize(2);
  }

  @Test
  void reload_startedWithoutFile_refused() throws Exception {
    try (Gateway fileless = Gateway.start(ConfigLoader.load(file, Map.of()))) {
      ReloadOutcome outcome = fileless.reload().get(30, TimeUnit.SECONDS);

      assertThat(outcome.result()).isEqualTo(Result.INVALID);
      assertThat(outcome.message()).contains("started without a configuration file");
    }
  }

  private String twoOrigins(URI extra) {
    return """
        origins:
          - name: cloud
            url: %s
            paths: ["/blobs/"]
            response-timeout: 30s
            idle-timeout: 30s
          - name: extra
            url: %s
            paths: ["/extra/"]
        """.formatted(origin.baseUri(), extra);
  }
}
