package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The management port: metrics named as DESIGN.md says, health and readiness. */
class AdminEndpointsTest {

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();


  private static Response admin(String path) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      return client.get(path).read();
    }
  }

  @Test
  void metrics_afterAMissAndAHit_showTheContractSeriesWithNonZeroValues() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.get("/blobs/64KiB/metrics").read();
      client.get("/blobs/64KiB/metrics").read();
    }
    // A request is counted once its last byte is written, which the client may see first.
    await().atMost(Duration.ofSeconds(5)).until(() -> admin("/metrics").text()
        .contains("gateway_requests_seconds_count{cache=\"hit\",method=\"GET\",status=\"200\"}"));
    String text = admin("/metrics").text();

    assertThat(value(text, "gateway_requests_seconds_count\\{cache=\"miss\",method=\"GET\",status=\"200\"\\}")).isEqualTo(1);
    assertThat(value(text, "gateway_requests_seconds_count\\{cache=\"hit\",method=\"GET\",status=\"200\"\\}")).isEqualTo(1);
    assertThat(value(text, "gateway_served_bytes_total\\{source=\"memory\"\\}")).isEqualTo(64 * 1024);
    assertThat(value(text, "gateway_served_bytes_total\\{source=\"origin\"\\}")).isEqualTo(64 * 1024);
    assertThat(value(text, "gateway_origin_requests_seconds_count\\{origin=\"cloud\",outcome=\"ok\"\\}")).isEqualTo(1);
    assertThat(value(text, "gateway_origin_bytes_total\\{origin=\"cloud\"\\}")).isEqualTo(64 * 1024);
    assertThat(value(text, "gateway_cache_bytes\\{tier=\"memory\"\\}")).isGreaterThanOrEqualTo(64 * 1024);
    assertThat(value(text, "gateway_first_byte_seconds_count\\{cache=\"hit\"\\}")).isEqualTo(1);
    assertThat(text).contains("gateway_build_info{school=\"test\",version=");
    assertThat(text).contains("jvm_memory_used_bytes").contains("netty_allocator_memory_used_bytes{memory_type=\"direct\"}");
  }

  @Test
  void metrics_tierBudgetCacheMetersStaleAndBuildInfo_exported() throws Exception {
    String text = admin("/metrics").text();

    assertThat(value(text, "gateway_cache_max_bytes\\{tier=\"memory\"\\}")).isEqualTo(256 << 20);
    assertThat(text).contains("cache_gets_total{cache=\"memory\",result=\"hit\"}",
        "cache_gets_total{cache=\"memory\",result=\"miss\"}", "cache_puts_total{cache=\"memory\"}",
        "cache_evictions_total{cache=\"memory\"}", "cache_eviction_weight_total{cache=\"memory\"}",
        "cache_size{cache=\"memory\"}", "gateway_connections_active ",
        "netty_allocator_memory_used_bytes{memory_type=\"direct\"}", "jvm_buffer_memory_used_bytes{id=\"direct\"}");
    assertThat(value(text, "gateway_stale_responses_total\\{reason=\"offline\"\\}")).isZero();
    assertThat(value(text, "gateway_origin_bytes_total\\{origin=\"down\"\\}")).isZero(); // from the start
    assertThat(text.lines().filter(l -> l.startsWith("gateway_build_info"))).singleElement().asString()
        .startsWith("gateway_build_info{school=\"test\",version=");
  }

  @Test
  void metrics_latencyHistogram_hasAboutADozenBuckets() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.get("/blobs/1KiB/buckets").read();
    }
    String text = admin("/metrics").text();
    Matcher buckets = Pattern.compile("gateway_requests_seconds_bucket\\{cache=\"miss\",method=\"GET\",status=\"200\",le=\"[^\"]+\"\\}")
        .matcher(text);
    int count = 0;
    while (buckets.find()) {
      count++;
    }
    assertThat(count).isBetween(10, 16);
  }

  @Test
  void healthAndReadiness_ok() throws Exception {
    assertThat(admin("/healthz").status()).isEqualTo(200);
    assertThat(admin("/readyz").status()).isEqualTo(200);
    assertThat(admin("/nothing").status()).isEqualTo(404);
  }

  private static double value(String exposition, String seriesRegex) {
    Matcher m = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(exposition);
    if (!m.find()) {
      throw new AssertionError("series " + seriesRegex + " not found in:\n" + exposition);
    }
    return Double.parseDouble(m.group(1));
  }
}
