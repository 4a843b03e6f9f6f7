package fr.acclermont.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.Version;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.FreePorts;
import fr.acclermont.gateway.testing.PrometheusBinaries;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (the {@code prometheus} binary, on a free loopback port with a configuration of
 * its own) scrapes a running gateway every second and evaluates the shipped rules
 * ({@code config/prometheus/gateway-rules.yml}) every second. After a known traffic, its query API
 * must show counters equal to what was sent, the recording rules the dashboard and the alerts use
 * within a stated tolerance, and every expression of the shipped Grafana dashboard must evaluate;
 * the gateway's scrape itself must pass {@code promtool check metrics}.
 *
 * <p>The traffic: a warm-up before Prometheus starts (2 misses and 4 hits of 128 KiB blobs, 2 clients
 * opening a third at once: a miss and a collapsed request, and one request to an unreachable
 * origin), so that every series exists from the first scrape and rates see only the measured
 * increase (a series born later would lose its first increase); then, once Prometheus has scraped, 10 blobs of 16, 32 ... 160 KiB each
 * fetched 4 times: 10 misses and 30 hits; and a class of 5 opening a cold 176 KiB blob at once: 1
 * miss and 4 requests collapsed on its fetch, whose bytes the uplink carried once. Skipped loudly
 * without the binary, failed in CI ({@link PrometheusBinaries}). Takes about 20 s.
 */
class PrometheusIntegrationTest {

  /** The job of the shipped scrape configuration, which the alerts select. */
  private static final String JOB = "textbook-gateway";
  private static final String SCHOOL = "prometheus-test";
  private static final Path RULES = Path.of("../config/prometheus/gateway-rules.yml");
  private static final Path DASHBOARD = Path.of("../config/grafana/textbook-gateway.json");
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int WARMUP_BLOB = 128 * 1024;
  private static final int MEASURED_BLOBS = 10;
  private static final int READS_PER_BLOB = 4;
  /** The measured blobs' sizes together: 16 KiB × (1 + 2 + ... + 10). */
  private static final long MEASURED_BYTES = 16L * 1024 * MEASURED_BLOBS * (MEASURED_BLOBS + 1) / 2;
  /** The class opening one cold blob at once: one leads its fetch, the others collapse on it. */
  private static final int CLASS = 5;
  private static final int CLASS_BLOB = 176 * 1024;
  private static final int WARMUP_REQUESTS = 2 + 4 + 2 + 1;
  private static final int MEASURED_REQUESTS = MEASURED_BLOBS * READS_PER_BLOB + CLASS;
  /** Every body byte sent to clients after the warm-up. */
  private static final long MEASURED_SERVED = READS_PER_BLOB * MEASURED_BYTES + (long) CLASS * CLASS_BLOB;
  /** The bytes of those that the uplink carried: each blob once. */
  private static final long MEASURED_FETCHED = MEASURED_BYTES + CLASS_BLOB;

  @TempDir
  static Path tmp;

  private static DemoOrigin origin;
  private static Gateway gateway;
  private static Process prometheus;
  private static Path prometheusLog;
  private static URI api;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startGatewayAndPrometheusThenSendTraffic() throws Exception {
    PrometheusBinaries.failIfRequired("prometheus");
    Path binary = PrometheusBinaries.find("prometheus").orElse(null);
    if (binary == null) {
      return; // each test is skipped, loudly (prometheusPresent)
    }
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    Path disk = Files.createDirectories(tmp.resolve("disk-cache"));
    // The second origin (nothing listens there) has a parent, so that gateway_parent_up is exported.
    gateway = TestGateways.start(origin.baseUri(),
        "school: " + SCHOOL + "\ncache: { disk: { path: \"" + disk + "\", max-bytes: 64MiB } }\n"
            + "origins:\n"
            + "  - { name: cloud, url: \"" + origin.baseUri() + "\", paths: [\"/books/\", \"/blobs/\", \"/_origin/\"],"
            + " connect-timeout: 1s, response-timeout: 2s, idle-timeout: 1s }\n"
            + "  - { name: down, url: \"http://127.0.0.1:1\", parents: [\"http://127.0.0.1:2\"], paths: [\"/down/\"],"
            + " connect-timeout: 1s }\n", Clock.systemUTC());
    warmUp();
    startPrometheus(binary);
    // The first scrape holds the warm-up: the measured traffic is an increase from it.
    awaitValue("sum(gateway_requests_seconds_count{job=\"" + JOB + "\"})", WARMUP_REQUESTS);
    sendMeasuredTraffic();
  }

  private static void warmUp() throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      for (String name : List.of("warm-a", "warm-b")) {
        for (int i = 0; i < 3; i++) {
          assertThat(client.get("/blobs/" + WARMUP_BLOB + "/" + name).read().status()).isEqualTo(200);
        }
      }
    }
    // The series of collapsed requests is made by the first one: two clients open a blob at once.
    List<Response> pair = openTogether(2, "/blobs/" + WARMUP_BLOB + "/warm-class?delay=300");
    assertThat(pair).extracting(r -> r.header("Cache-Status")).filteredOn(c -> c.endsWith("; collapsed")).hasSize(1);
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      // The origin "down" (127.0.0.1:1) refuses: a 502, and the gateway probes it from now on.
      assertThat(client.get("/down/nothing").read().status()).isEqualTo(502);
    }
  }

  private static void sendMeasuredTraffic() throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      for (int blob = 1; blob <= MEASURED_BLOBS; blob++) {
        int size = 16 * 1024 * blob;
        for (int read = 0; read < READS_PER_BLOB; read++) {
          Response response = client.get("/blobs/" + size + "/measured-" + blob).read();
          assertThat(response.status()).isEqualTo(200);
          assertThat(response.bodyLength()).isEqualTo(size);
          assertThat(response.header("Cache-Status")).startsWith(read == 0 ? "edge; fwd=miss" : "edge; hit");
        }
      }
    }
    // The class asks while the origin prepares its answer (delay): one miss, the others collapsed.
    List<Response> responses = openTogether(CLASS, "/blobs/" + CLASS_BLOB + "/measured-class?delay=300");
    assertThat(responses).allSatisfy(r -> assertThat(r.bodyLength()).isEqualTo(CLASS_BLOB));
    assertThat(responses).extracting(r -> r.header("Cache-Status"))
        .containsOnlyOnce("edge; fwd=miss; fwd-status=200; stored")
        .filteredOn(c -> c.endsWith("; collapsed")).hasSize(CLASS - 1);
  }

  /** {@code clients} clients GET {@code target} at once, each on a connection of its own. */
  private static List<Response> openTogether(int clients, String target) {
    try (Classroom classroom = new Classroom(clients, PATIENCE)) {
      return classroom.together(gateway.port(), clients, (id, client) -> client.get(target).read());
    } catch (Exception e) {
      throw new AssertionError(clients + " clients opening " + target, e);
    }
  }

  private static void startPrometheus(Path binary) throws Exception {
    int port = FreePorts.loopback();
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - "%s"
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(RULES.toAbsolutePath().normalize(), JOB, gateway.adminPort()));
    prometheusLog = tmp.resolve("prometheus.log");
    prometheus = new ProcessBuilder(binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + tmp.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(prometheusLog.toFile())
        .start();
    api = URI.create("http://127.0.0.1:" + port);
    // Until it listens, a connection is refused: that is "not ready yet", not a failure (a loaded
    // machine may take over a second to start it).
    await("Prometheus ready").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
        .ignoreException(java.net.ConnectException.class).until(() -> {
      if (!prometheus.isAlive()) {
        throw new AssertionError("prometheus exited (" + prometheus.exitValue() + "):\n" + Files.readString(prometheusLog));
      }
      return get("/-/ready").statusCode() == 200;
    });
  }

  @BeforeEach
  void prometheusPresent() {
    PrometheusBinaries.require("prometheus");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.destroyForcibly();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      if (gateway != null) {
        gateway.close();
      }
      if (origin != null) {
        origin.close();
      }
    }
  }

  // ---- counters: exact ----

  @Test
  void counters_knownTraffic_equalWhatWasSent() {
    String job = "job=\"" + JOB + "\"";
    long warmupOriginBytes = 3L * WARMUP_BLOB;
    long warmupMemoryBytes = 5L * WARMUP_BLOB; // memory, or collapsed for the warm-up pair
    awaitValue("sum(gateway_requests_seconds_count{" + job + "})", WARMUP_REQUESTS + MEASURED_REQUESTS);

    assertThat(value("sum(gateway_requests_seconds_count{" + job + ",cache=\"hit\",method=\"GET\",status=\"200\"})"))
        .isEqualTo(4 + MEASURED_BLOBS * (READS_PER_BLOB - 1));
    assertThat(value("sum(gateway_requests_seconds_count{" + job + ",cache=\"miss\",method=\"GET\",status=\"200\"})"))
        .isEqualTo(3 + MEASURED_BLOBS + 1);
    assertThat(value("sum(gateway_requests_seconds_count{" + job + ",cache=\"collapsed\",method=\"GET\",status=\"200\"})"))
        .isEqualTo(1 + CLASS - 1);
    assertThat(value("sum(gateway_requests_seconds_count{" + job + ",status=\"502\"})")).isEqualTo(1);
    assertThat(value("sum(gateway_first_byte_seconds_count{" + job + "})")).isEqualTo(WARMUP_REQUESTS + MEASURED_REQUESTS);
    // The collapsed clients' bytes count as collapsed, or as memory where present when reached.
    awaitValue("sum(gateway_served_bytes_total{" + job + ",source=~\"memory|collapsed\"})",
        warmupMemoryBytes + (READS_PER_BLOB - 1) * MEASURED_BYTES + (CLASS - 1) * (long) CLASS_BLOB);
    assertThat(value("sum(gateway_served_bytes_total{" + job + ",source=\"origin\"})"))
        .isEqualTo(warmupOriginBytes + MEASURED_FETCHED);
    assertThat(value("sum(gateway_served_bytes_total{" + job + ",source=\"disk\"})")).isZero();
    // What the uplink carried is what was served as origin bytes: each byte once.
    assertThat(value("gateway_origin_bytes_total{" + job + ",origin=\"cloud\"}"))
        .isEqualTo(warmupOriginBytes + MEASURED_FETCHED)
        .isEqualTo(origin.stats().bytes());
    assertThat(value("gateway_origin_requests_seconds_count{" + job + ",origin=\"cloud\",outcome=\"ok\"}"))
        .isEqualTo(3 + MEASURED_BLOBS + 1)
        .isEqualTo(origin.stats().requests());
    assertThat(value("gateway_origin_up{" + job + ",origin=\"down\"}")).isZero();
    assertThat(value("gateway_origin_up{" + job + ",origin=\"cloud\"}")).isEqualTo(1);
  }

  @Test
  void metrics_everySeriesOfTheContract_scraped() {
    Set<String> expected = Set.of(
        "gateway_requests_seconds_bucket", "gateway_requests_seconds_count", "gateway_requests_seconds_sum",
        "gateway_first_byte_seconds_bucket", "gateway_first_byte_seconds_count", "gateway_first_byte_seconds_sum",
        "gateway_served_bytes_total",
        "gateway_origin_requests_seconds_bucket", "gateway_origin_requests_seconds_count",
        "gateway_origin_requests_seconds_sum", "gateway_origin_bytes_total", "gateway_origin_up",
        "gateway_origin_probes_total", "gateway_coalesced_requests_total",
        "gateway_cache_bytes", "gateway_cache_max_bytes", "gateway_cache_evictions_total",
        "gateway_connections_active", "gateway_build_info", "gateway_stale_responses_total",
        "gateway_disk_removed_files_total", "gateway_disk_corrupt_reads_total", "gateway_disk_write_errors_total",
        "gateway_disk_writes_failing", "gateway_disk_index_loaded", "gateway_disk_index_load_seconds",
        "cache_gets_total", "cache_puts_total", "cache_evictions_total", "cache_eviction_weight_total", "cache_size",
        "netty_allocator_memory_used_bytes", "jvm_buffer_memory_used_bytes", "process_cpu_seconds_total",
        "gateway_disk_writes_skipped_total", "gateway_access_log_dropped_total", "process_start_time_seconds");
    Supplier<Set<String>> scraped = PrometheusIntegrationTest::scrapedNames;
    // gateway_origin_probes_total appears with the first probe of the origin "down", a second after its 502.
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(scraped.get()).containsAll(expected));

    JsonNode info = query("gateway_build_info{job=\"" + JOB + "\"}");
    assertThat(info).hasSize(1);
    assertThat(info.get(0).get("metric").get("school").asText()).isEqualTo(SCHOOL);
    assertThat(info.get(0).get("metric").get("version").asText()).isEqualTo(Version.current());
    assertThat(value("gateway_disk_index_loaded{job=\"" + JOB + "\"}")).isEqualTo(1);
    assertThat(value("gateway_disk_index_load_seconds{job=\"" + JOB + "\"}")).isFinite().isGreaterThanOrEqualTo(0.0);
    // One series per memory type, nothing that changes from one start to the next (no allocator id).
    assertThat(query("netty_allocator_memory_used_bytes{job=\"" + JOB + "\"}"))
        .extracting(s -> s.get("metric").get("memory_type").asText() + " " + s.get("metric").size())
        .containsExactlyInAnyOrder("direct 4", "heap 4"); // __name__, instance, job, memory_type
    for (String tier : List.of("memory", "disk")) {
      assertThat(query("cache_gets_total{job=\"" + JOB + "\",cache=\"" + tier + "\"}")).as(tier).hasSize(2);
      assertThat(value("gateway_cache_max_bytes{job=\"" + JOB + "\",tier=\"" + tier + "\"}")).as(tier)
          .isEqualTo(tier.equals("disk") ? 64 << 20 : 256 << 20);
    }
  }

  // ---- the scrape itself: promtool check metrics ----

  /**
   * Complaints of {@code promtool check metrics} accepted, each with its reason. Anything else fails.
   *
   * <p>{@code system_cpu_count} ("should not have _count suffix"): Micrometer's standard
   * {@code ProcessorMetrics} gauge, which the community JVM dashboards (Grafana's "JVM (Micrometer)")
   * query by this name. The lint guards against a gauge read as a histogram's {@code _count}
   * series; no {@code system_cpu} histogram exists, so renaming it would break those dashboards for
   * nothing.
   */
  static final Set<String> PROMTOOL_ALLOWED = Set.of(
      "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

  /**
   * The gateway's own {@code /metrics} after the traffic (every family the test's configuration
   * makes: memory and disk tiers, two origins, one down and probed) passes
   * {@code promtool check metrics}: help text on every family, units in base units, counters with
   * {@code _total}; only the {@link #PROMTOOL_ALLOWED} complaints remain.
   */
  @Test
  void promtoolCheckMetrics_scrapeAfterTraffic_noComplaintButTheAllowedOnes() throws Exception {
    awaitValue("sum(gateway_requests_seconds_count{job=\"" + JOB + "\"})", WARMUP_REQUESTS + MEASURED_REQUESTS);
    String scrape;
    try (TestHttpClient client = TestHttpClient.connect(gateway.adminPort())) {
      Response response = client.get("/metrics").read();
      assertThat(response.status()).isEqualTo(200);
      scrape = response.text();
    }
    assertThat(scrape).contains("gateway_requests_seconds_bucket", "gateway_origin_probes_total", "gateway_disk_index_loaded");

    PromtoolChecksTest.Result result = PromtoolChecksTest.promtoolWithInput(scrape, "check", "metrics");

    // promtool's exit code: 0 clean, 3 lint complaints only, 1 a scrape it cannot parse.
    assertThat(result.exitCode()).as(result.output()).isIn(0, 3);
    List<String> complaints = result.output().lines().skip(1).map(String::strip).filter(l -> !l.isEmpty())
        .filter(l -> !PROMTOOL_ALLOWED.contains(l)).toList();
    assertThat(complaints).as(result.output()).isEmpty();
  }

  // ---- recording rules: within a stated tolerance ----

  /**
   * The rules the dashboard and the alerts use, once their evaluation follows the last scrape of the
   * traffic and Prometheus holds at least 12 s of samples.
   *
   * <p>Hit ratios: 30 hits and 4 collapsed of 45 GET requests (0.756; 0.667 if collapsed requests
   * counted as misses), and of 4 × 880 + 5 × 176 KiB served, all but the 880 + 176 KiB fetched came
   * from memory or the class's shared fetch (0.76; 0.6 if the collapsed bytes counted as origin
   * bytes); the byte hit ratio equals the uplink's own 1 - fetched / served. Every series of a ratio
   * was born before the first scrape and is sampled at the same instants, so Prometheus's
   * extrapolation scales numerator and denominator alike: ±0.05 leaves room for nothing more than
   * rounding. Rates: 45 requests (and 3 × 880 + 4 × 176 KiB saved) over the 5-minute window;
   * Prometheus extrapolates the increase to the window's edges, by half a scrape interval at the
   * start (the warm-up values keep it from reaching zero sooner) and at most 1.1 intervals at the
   * end, over at least 12 intervals sampled: between 1.0 and 1.14 times the count sent, divided by
   * 300 s; accepted from 0.99 to 1.2 (the saved bytes, a difference of two such rates, from 0.95 to 1.25).
   */
  @Test
  void recordingRules_knownTraffic_withinTolerance() {
    String instance = "{instance=\"127.0.0.1:" + gateway.adminPort() + "\",job=\"" + JOB + "\"}";
    awaitValue("sum(gateway_requests_seconds_count{job=\"" + JOB + "\"})", WARMUP_REQUESTS + MEASURED_REQUESTS);
    awaitValue("sum(gateway_served_bytes_total{job=\"" + JOB + "\"})", 8L * WARMUP_BLOB + MEASURED_SERVED);
    await("12 s of samples").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
        .until(() -> value("count_over_time(up{job=\"" + JOB + "\"}[5m])") >= 13);
    double lastScrape = value("timestamp(up{job=\"" + JOB + "\"})");
    await("the rules evaluated after that scrape").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
        .until(() -> value("timestamp(instance:gateway_uplink_saved_bytes:rate5m" + instance + ")") > lastScrape);

    System.out.printf("rules: hit ratio %s, byte hit ratio %s, requests x 300 s %s (sent %d), samples %s%n",
        value("instance:gateway_hit_ratio:rate5m" + instance), value("instance:gateway_byte_hit_ratio:rate5m" + instance),
        value("instance:gateway_requests:rate5m" + instance) * 300, MEASURED_REQUESTS,
        value("count_over_time(up{job=\"" + JOB + "\"}[5m])"));
    long saved = MEASURED_SERVED - MEASURED_FETCHED;
    assertThat(value("instance:gateway_hit_ratio:rate5m" + instance))
        .isCloseTo((MEASURED_BLOBS * (READS_PER_BLOB - 1) + CLASS - 1) / (double) MEASURED_REQUESTS, within(0.05));
    assertThat(value("instance:gateway_byte_hit_ratio:rate5m" + instance))
        .isCloseTo(saved / (double) MEASURED_SERVED, within(0.05))
        .isCloseTo(value("1 - instance:gateway_origin_bytes:rate5m" + instance + " / instance:gateway_served_bytes:rate5m"
            + instance), within(0.001));
    assertThat(value("instance:gateway_requests:rate5m" + instance) * 300)
        .isBetween(0.99 * MEASURED_REQUESTS, 1.2 * MEASURED_REQUESTS);
    assertThat(value("instance:gateway_served_bytes:rate5m" + instance) * 300)
        .isBetween(0.99 * MEASURED_SERVED, 1.2 * MEASURED_SERVED);
    assertThat(value("instance:gateway_uplink_saved_bytes:rate5m" + instance) * 300)
        .isBetween(0.95 * saved, 1.25 * saved);
    // Only probes of the origin "down", every one refused: its error ratio is 1. The origin "cloud"
    // never failed: no error series, no ratio.
    assertThat(value("instance_origin:gateway_origin_errors:ratio_rate5m{origin=\"down\"}")).isEqualTo(1);
    assertThat(query("instance_origin:gateway_origin_errors:ratio_rate5m{origin=\"cloud\"}")).isEmpty();
    assertThat(value("instance:gateway_stale_responses:rate5m" + instance)).isZero();
    // A quantile of the histogram (not NaN: the requests above are in it); its value is a speed,
    // which the load-test measurements report, not a test.
    assertThat(value("instance:gateway_first_byte_seconds:p99_rate5m" + instance)).isFinite().isGreaterThanOrEqualTo(0.0);
    // The memory tier holds every blob (and a little per entry) of its 256 MiB.
    assertThat(value("instance_tier:gateway_cache_fill:ratio{tier=\"memory\"}"))
        .isBetween((3.0 * WARMUP_BLOB + MEASURED_FETCHED) / (256 << 20), 1.0);
  }

  @Test
  void rules_shippedFile_everyRuleEvaluatesWithoutError() throws Exception {
    await().atMost(PATIENCE).untilAsserted(() -> {
      List<String> rules = new ArrayList<>();
      for (JsonNode group : api("/api/v1/rules").get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          assertThat(rule.get("health").asText()).as(rule.get("name") + ": " + rule.path("lastError").asText())
              .isEqualTo("ok");
          rules.add(rule.get("name").asText());
        }
      }
      assertThat(rules).contains("instance:gateway_hit_ratio:rate5m", "instance:gateway_byte_hit_ratio:rate5m",
          "GatewayDown", "GatewayServingStaleForLong", "GatewayRestarting", "GatewayConfigReloadFailed",
          "GatewayParentUnreachable").hasSize(25);
    });
  }

  /**
   * Every metric an expression of the shipped rules reads is one the gateway exports (or
   * Prometheus's own {@code up}): a rule over a renamed metric would evaluate without error, return
   * nothing, and never fire.
   */
  @Test
  void rules_shippedFile_everyMetricReadIsScraped() throws Exception {
    Set<String> read = new TreeSet<>();
    for (JsonNode group : api("/api/v1/rules").get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        read.addAll(metricNames(rule.get("query").asText()));
      }
    }
    read.remove("up");
    assertThat(read).contains("gateway_requests_seconds_count", "gateway_disk_corrupt_reads_total",
        "netty_allocator_memory_used_bytes", "process_start_time_seconds");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(scrapedNames()).containsAll(read));
  }

  /**
   * GatewayDirectMemoryNearLimit's ratio, its expression without the threshold, finds this gateway's
   * direct memory and its memory tier's budget (256 MiB: a limit of 341 MiB) and joins them: the
   * blobs held in memory, a few MiB, are a small share of it.
   */
  @Test
  void directMemoryAlert_realGateway_ratioOfTheMemoryTiersLimit() throws Exception {
    String alert = null;
    for (JsonNode group : api("/api/v1/rules").get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.get("name").asText().equals("GatewayDirectMemoryNearLimit")) {
          alert = rule.get("query").asText();
        }
      }
    }
    assertThat(alert).as("GatewayDirectMemoryNearLimit").isNotNull().containsPattern(">\\s*0\\.9\\s*$");
    String ratio = alert.replaceAll(">\\s*0\\.9\\s*$", "");
    String instance = "{instance=\"127.0.0.1:" + gateway.adminPort() + "\",job=\"" + JOB + "\"}";
    System.out.printf("direct memory: netty %s, jvm %s, ratio %s%n",
        value("sum(netty_allocator_memory_used_bytes" + instance.replace("}", ",memory_type=\"direct\"}") + ")"),
        value("jvm_buffer_memory_used_bytes" + instance.replace("}", ",id=\"direct\"}")), value(ratio));
    assertThat(value(ratio)).isGreaterThan(3.0 * WARMUP_BLOB / (256 << 20) * 0.75).isLessThan(0.9);
  }

  /**
   * The metric names a PromQL expression reads: its identifiers once strings, label matchers, range
   * selectors and grouping clauses are removed, but for functions, operators and recording rules
   * (with a colon).
   */
  static Set<String> metricNames(String promql) {
    String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^\\]]*\\]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()")
        .matcher(bare);
    Set<String> keywords = Set.of("and", "or", "unless", "bool", "offset", "Inf", "NaN", "inf", "nan");
    while (m.find()) {
      String name = m.group();
      if (!keywords.contains(name) && !name.contains(":")) {
        names.add(name);
      }
    }
    return names;
  }

  private static Set<String> scrapedNames() {
    Set<String> names = new HashSet<>();
    query("count by (__name__) ({job=\"" + JOB + "\"})").forEach(s -> names.add(s.get("metric").get("__name__").asText()));
    return names;
  }

  // ---- the dashboard ----

  /**
   * Every expression of the shipped dashboard, with Grafana's variables replaced
   * ({@code $__rate_interval} by 1m, {@code $instance} and {@code $school} by {@code .*}), is
   * accepted by Prometheus and returns series; the template variables find this gateway.
   */
  @Test
  void dashboard_everyExpression_evaluatesWithData() throws Exception {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    Map<String, String> expressions = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        expressions.put(panel.get("title").asText() + " / " + target.get("refId").asText(), target.get("expr").asText());
      }
    }
    assertThat(expressions).hasSizeGreaterThan(20);
    awaitValue("sum(gateway_requests_seconds_count{job=\"" + JOB + "\"})", WARMUP_REQUESTS + MEASURED_REQUESTS);
    // The 5-minute rules need two evaluations with the traffic; [1m] rates two scrapes.
    await().atMost(PATIENCE).untilAsserted(() -> {
      for (Map.Entry<String, String> e : expressions.entrySet()) {
        String expr = substitute(e.getValue());
        assertThat(query(expr)).as(e.getKey() + ": " + expr).isNotEmpty();
      }
    });

    JsonNode templating = dashboard.get("templating").get("list");
    List<String> variables = new ArrayList<>();
    templating.forEach(v -> variables.add(v.get("name").asText()));
    assertThat(variables).containsExactly("datasource", "school", "instance");
    assertThat(api("/api/v1/label/school/values?match%5B%5D=" + encode("gateway_build_info")).toString()).contains(SCHOOL);
    assertThat(api("/api/v1/label/instance/values?match%5B%5D=" + encode("gateway_build_info{school=~\"" + SCHOOL + "\"}"))
        .toString()).contains("127.0.0.1:" + gateway.adminPort());
  }

  private static String substitute(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "5m")
        .replace("${instance}", ".*").replace("$instance", ".*")
        .replace("${school}", ".*").replace("$school", ".*");
  }

  // ---- Prometheus's HTTP API ----

  private static void awaitValue(String promql, double expected) {
    await(promql + " == " + expected).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(value(promql)).as(promql).isEqualTo(expected));
  }

  /** The value of an expression that returns one series (or a scalar); fails otherwise. */
  private static double value(String promql) {
    JsonNode result = query(promql);
    assertThat(result).as(promql + " returns one series").hasSize(1);
    return Double.parseDouble(result.get(0).get("value").get(1).asText());
  }

  private static JsonNode query(String promql) {
    try {
      return api("/api/v1/query?query=" + encode(promql)).get("result");
    } catch (IOException e) {
      throw new AssertionError(promql + ": " + e, e);
    }
  }

  /** The {@code data} of a successful API answer. */
  private static JsonNode api(String pathAndQuery) throws IOException {
    HttpResponse<String> response = get(pathAndQuery);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).as(pathAndQuery + " -> " + response.body()).isEqualTo("success");
    return body.get("data");
  }

  private static HttpResponse<String> get(String pathAndQuery) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(api.resolve(pathAndQuery)).timeout(Duration.ofSeconds(5)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
