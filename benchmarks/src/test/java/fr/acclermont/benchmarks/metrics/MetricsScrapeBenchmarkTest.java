package fr.acclermont.benchmarks.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scrape benchmark renders the realistic set of meters its javadoc lists. */
class MetricsScrapeBenchmarkTest {

  @Test
  void scrape_schoolDay_everyFamilyRendered() throws Exception {
    MetricsScrapeBenchmark benchmark = new MetricsScrapeBenchmark();
    benchmark.setUp();
    try {
      String text = benchmark.scrape();
      assertThat(text)
          .contains("gateway_requests_seconds_count{cache=\"revalidated\",method=\"GET\",status=\"304\"}")
          .contains("gateway_origin_requests_seconds_count{origin=\"ent\",outcome=\"timeout\"}")
          .contains("gateway_cache_bytes{tier=\"disk\"}")
          .contains("cache_gets_total{cache=\"memory\"")
          .contains("gateway_disk_index_load_seconds")
          .contains("gateway_stale_responses_total{reason=\"offline\"}")
          .contains("gateway_build_info");
      assertThat(text.length()).isGreaterThan(50_000);
    } finally {
      benchmark.tearDown();
    }
  }
}
