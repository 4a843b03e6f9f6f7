package fr.acclermont.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Prometheus exposition the dashboards are built on (DESIGN.md "Metrics contract"). */
class GatewayMetricsTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final GatewayMetrics metrics = new GatewayMetrics("1.2.3", "lycee-victor-hugo");

  @Test
  void scrape_requestRecorded_requestSeriesWithMethodStatusAndCache() {
    metrics.request("GET", 200, CacheOutcome.HIT, 3 * MS);
    metrics.request("GET", 200, CacheOutcome.HIT, 40 * MS);

    List<String> lines = lines(metrics.scrape());

    assertThat(lines).contains(
        "gateway_requests_seconds_count{cache=\"hit\",method=\"GET\",status=\"200\"} 2",
        "gateway_requests_seconds_bucket{cache=\"hit\",method=\"GET\",status=\"200\",le=\"0.001\"} 0",
        "gateway_requests_seconds_bucket{cache=\"hit\",method=\"GET\",status=\"200\",le=\"0.005\"} 1",
        "gateway_requests_seconds_bucket{cache=\"hit\",method=\"GET\",status=\"200\",le=\"0.05\"} 2",
        "gateway_requests_seconds_bucket{cache=\"hit\",method=\"GET\",status=\"200\",le=\"+Inf\"} 2");
    assertThat(lines).anyMatch(
        l -> l.startsWith("gateway_requests_seconds_sum{cache=\"hit\",method=\"GET\",status=\"200\"} 0.043"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"GET, GET", "HEAD, HEAD", "POST, OTHER", "PUT, OTHER", "DELETE, OTHER", "OPTIONS, OTHER",
      "PURGE, OTHER", "get, OTHER"})
  void request_method_mappedToClosedSet(String method, String tag) {
    metrics.request(method, 204, CacheOutcome.BYPASS, MS);

    assertThat(metrics.scrape())
        .contains("gateway_requests_seconds_count{cache=\"bypass\",method=\"" + tag + "\",status=\"204\"} 1");
  }

  @Test
  void request_sameTagsFromDifferentMethods_oneSeries() {
    metrics.request("POST", 201, CacheOutcome.BYPASS, MS);
    metrics.request("PUT", 201, CacheOutcome.BYPASS, MS);
    metrics.request("GET", 201, CacheOutcome.BYPASS, MS);

    String scrape = metrics.scrape();
    assertThat(scrape).contains("gateway_requests_seconds_count{cache=\"bypass\",method=\"OTHER\",status=\"201\"} 2");
    assertThat(scrape).contains("gateway_requests_seconds_count{cache=\"bypass\",method=\"GET\",status=\"201\"} 1");
  }

  @Test
  void scrape_firstByte_perCacheOutcome() {
    metrics.firstByte(CacheOutcome.MISS, 20 * MS);

    String scrape = metrics.scrape();
    assertThat(scrape).contains("gateway_first_byte_seconds_count{cache=\"miss\"} 1");
    for (CacheOutcome outcome : CacheOutcome.values()) {
      assertThat(scrape).contains("gateway_first_byte_seconds_count{cache=\"" + outcome.tag() + "\"}");
    }
  }

  @Test
  void scrape_servedBytes_perSource() {
    metrics.served(ByteSource.MEMORY, 1000);
    metrics.served(ByteSource.MEMORY, 234);
    metrics.served(ByteSource.ORIGIN, 5);
    metrics.served(ByteSource.COLLAPSED, 170);

    assertThat(lines(metrics.scrape())).contains(
        "gateway_served_bytes_total{source=\"memory\"} 1234.0",
        "gateway_served_bytes_total{source=\"origin\"} 5.0",
        "gateway_served_bytes_total{source=\"collapsed\"} 170.0",
        "gateway_served_bytes_total{source=\"disk\"} 0.0");
  }

  @Test
  void scrape_servedBytes_everySourceFromTheStart() {
    assertThat(lines(metrics.scrape())).contains(
        "gateway_served_bytes_total{source=\"memory\"} 0.0",
        "gateway_served_bytes_total{source=\"disk\"} 0.0",
        "gateway_served_bytes_total{source=\"origin\"} 0.0",
        "gateway_served_bytes_total{source=\"collapsed\"} 0.0");
  }

  @Test
  void request_collapsed_countedUnderItsOwnCacheValue() {
    metrics.request("GET", 200, CacheOutcome.MISS, MS);
    metrics.request("GET", 200, CacheOutcome.COLLAPSED, MS);
    metrics.request("GET", 200, CacheOutcome.COLLAPSED, MS);
    metrics.firstByte(CacheOutcome.COLLAPSED, MS);

    assertThat(lines(metrics.scrape())).contains(
        "gateway_requests_seconds_count{cache=\"miss\",method=\"GET\",status=\"200\"} 1",
        "gateway_requests_seconds_count{cache=\"collapsed\",method=\"GET\",status=\"200\"} 2",
        "gateway_first_byte_seconds_count{cache=\"collapsed\"} 1");
  }

  @Test
  void scrape_originRequestAndBytes_perOriginAndOutcome() {
    metrics.originRequest("cloud", OriginOutcome.OK, 12 * MS);
    metrics.originRequest("cloud", OriginOutcome.OK, 30 * MS);
    metrics.originRequest("cloud", OriginOutcome.TIMEOUT, 5000 * MS);
    metrics.originBytes("cloud", 2048);

    assertThat(lines(metrics.scrape())).contains(
        "gateway_origin_requests_seconds_count{origin=\"cloud\",outcome=\"ok\"} 2",
        "gateway_origin_requests_seconds_count{origin=\"cloud\",outcome=\"timeout\"} 1",
        "gateway_origin_bytes_total{origin=\"cloud\"} 2048.0");
  }

  @Test
  void scrape_registeredTier_bytesGaugeAndEvictionCounter() {
    AtomicLong held = new AtomicLong(4096);
    metrics.registerTier(CacheTier.MEMORY, held, AtomicLong::get, 1L << 20);
    metrics.evicted(CacheTier.MEMORY);
    metrics.evicted(CacheTier.MEMORY);
    metrics.evicted(CacheTier.DISK); // not registered: ignored
    held.set(8192);

    List<String> lines = lines(metrics.scrape());
    assertThat(lines).contains(
        "gateway_cache_bytes{tier=\"memory\"} 8192.0",
        "gateway_cache_max_bytes{tier=\"memory\"} 1048576.0",
        "gateway_cache_evictions_total{tier=\"memory\"} 2.0");
    assertThat(lines).noneMatch(l -> l.contains("tier=\"disk\""));
  }

  @Test
  void scrape_fixedMeters_present() {
    metrics.coalesced();
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();

    assertThat(lines(metrics.scrape())).contains(
        "gateway_coalesced_requests_total 1.0",
        "gateway_connections_active 1.0");
  }

  @Test
  void scrape_buildInfo_namedGatewayBuildInfoWithVersionAndSchool() {
    String scrape = metrics.scrape();

    assertThat(scrape).contains("# TYPE gateway_build_info gauge");
    assertThat(lines(scrape)).filteredOn(l -> l.startsWith("gateway_build_info")).singleElement().matches(
        l -> l.matches("gateway_build_info\\{school=\"lycee-victor-hugo\",version=\"1\\.2\\.3\"} 1(\\.0)?"), "one series");
  }

  @Test
  void scrape_buildInfo_anInfoInOpenMetrics() {
    String scrape = ((io.micrometer.prometheusmetrics.PrometheusMeterRegistry) metrics.registry())
        .scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");

    assertThat(scrape).contains("# TYPE gateway_build info")
        .contains("gateway_build_info{school=\"lycee-victor-hugo\",version=\"1.2.3\"} 1");
  }

  @Test
  void scrape_staleResponses_perReasonFromTheStart() {
    metrics.staleResponse(StaleReason.OFFLINE);
    metrics.staleResponse(StaleReason.OFFLINE);

    assertThat(lines(metrics.scrape())).contains(
        "gateway_stale_responses_total{reason=\"offline\"} 2.0",
        "gateway_stale_responses_total{reason=\"origin-error\"} 0.0",
        "gateway_stale_responses_total{reason=\"origin-unreachable\"} 0.0");
  }

  @Test
  void scrape_latencyHistograms_fourteenBucketsPlusInf() {
    metrics.request("GET", 200, CacheOutcome.MISS, 7 * MS);
    metrics.originRequest("cloud", OriginOutcome.OK, 7 * MS);
    String scrape = metrics.scrape();

    for (String series : List.of(
        "gateway_requests_seconds_bucket{cache=\"miss\",method=\"GET\",status=\"200\",",
        "gateway_first_byte_seconds_bucket{cache=\"miss\",",
        "gateway_origin_requests_seconds_bucket{origin=\"cloud\",outcome=\"ok\",")) {
      List<String> le = leValues(scrape, series);
      assertThat(le).as(series).hasSize(GatewayMetrics.LATENCY_BUCKETS.length + 1)
          .startsWith("0.001").endsWith("60.0", "+Inf");
    }
    assertThat(GatewayMetrics.LATENCY_BUCKETS).hasSize(14);
  }

  @Test
  void scrape_jvmBinders_present() {
    assertThat(metrics.scrape()).contains("jvm_memory_used_bytes", "process_uptime_seconds");
  }

  @Test
  void scrape_processCpu_inSecondsNotNanoseconds() {
    String scrape = metrics.scrape();

    assertThat(scrape).contains("# TYPE process_cpu_seconds_total counter").doesNotContain("process_cpu_time");
  }

  @Test
  void scrape_allocator_usedBytesByMemoryTypeOnly() {
    metrics.bindAllocator(io.netty.buffer.ByteBufAllocator.DEFAULT);

    assertThat(lines(metrics.scrape())).filteredOn(l -> l.startsWith("netty_allocator"))
        .extracting(l -> l.substring(0, l.indexOf(' ')))
        .containsExactlyInAnyOrder("netty_allocator_memory_used_bytes{memory_type=\"direct\"}",
            "netty_allocator_memory_used_bytes{memory_type=\"heap\"}");
  }

  @Test
  void scrape_diskIndexLoading_loadedZeroAndSecondsNaN_thenOneAndTheDuration() {
    AtomicLong loadMillis = new AtomicLong(-1);
    metrics.registerDisk(loadMillis, t -> 0, t -> 0, t -> 0, t -> 0, t -> t.get() < 0 ? 0 : 1, t -> t.get() / 1000.0);

    assertThat(lines(metrics.scrape())).contains("gateway_disk_index_loaded 0.0", "gateway_disk_index_load_seconds NaN");

    loadMillis.set(1250);
    assertThat(lines(metrics.scrape())).contains("gateway_disk_index_loaded 1.0", "gateway_disk_index_load_seconds 1.25");
  }

  @Test
  void scrape_everyFamily_hasHelpText() {
    metrics.bindAllocator(io.netty.buffer.ByteBufAllocator.DEFAULT);
    metrics.registerDisk(new AtomicLong(), t -> 0, t -> 0, t -> 0, t -> 0, t -> 1, t -> 0);
    metrics.registerPurges();
    metrics.registerClientTls();

    List<String> families = lines(metrics.scrape()).stream().filter(l -> l.startsWith("# TYPE "))
        .map(l -> l.split(" ")[2]).toList();
    List<String> helped = lines(metrics.scrape()).stream().filter(l -> l.matches("# HELP \\S+ \\S.*"))
        .map(l -> l.split(" ")[2]).toList();
    assertThat(families).hasSizeGreaterThan(30);
    assertThat(helped).containsAll(families);
  }

  private static List<String> leValues(String scrape, String seriesPrefix) {
    Matcher m = Pattern.compile(Pattern.quote(seriesPrefix) + "le=\"([^\"]+)\"}").matcher(scrape);
    List<String> values = new java.util.ArrayList<>();
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  private static List<String> lines(String scrape) {
    return scrape.lines().toList();
  }
}
