package fr.acclermont.benchmarks.cache;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.CacheRules;
import org.junit.jupiter.api.Test;

/**
 * The cache benchmarks run and compute what their javadoc says, in a few operations each. Not a
 * measurement: the build runs these, never the benchmarks.
 */
class CacheBenchmarksTest {

  @Test
  void cacheKey_browserRequests_routedAndNormalized() {
    CacheKeyBenchmark benchmark = new CacheKeyBenchmark();
    benchmark.setUp();
    assertThat(benchmark.primaryKey().origin()).isEqualTo("cloud");
    assertThat(benchmark.guardAndKey().variant()).isEmpty();
    assertThat(benchmark.variantKey().variant()).isEqualTo("accept-encoding: br,deflate,gzip,zstd");
    // Language tags lower-cased (RFC 9111 4.1 normalization).
    assertThat(benchmark.variantKeyTwoFields().variant())
        .isEqualTo("accept-encoding: br,deflate,gzip,zstd\naccept-language: fr-fr,fr;q=0.9,en-us;q=0.8,en;q=0.7");
  }

  @Test
  void freshness_realisticHeaders_expectedDecisions() {
    FreshnessBenchmark benchmark = new FreshnessBenchmark();
    benchmark.setUp();
    assertThat(benchmark.hitDecision()).isEqualTo(CacheRules.Fit.FRESH);
    assertThat(benchmark.reloadDecision()).isEqualTo(CacheRules.Fit.NONE);
    assertThat(benchmark.lifetimeMaxAge()).isEqualTo(86_400);
    assertThat(benchmark.lifetimeExpires()).isBetween(3_600L, 3_660L);
    assertThat(benchmark.lifetimeHeuristic()).isEqualTo(86_400); // capped at a day (cache.heuristic-max-lifetime)
    assertThat(benchmark.storable()).isEmpty();
  }

  @Test
  void memoryTier_zipfKeys_everyLookupAHit() {
    MemoryTierBenchmark benchmark = new MemoryTierBenchmark();
    benchmark.setUp();
    try {
      MemoryTierBenchmark.Cursor cursor = new MemoryTierBenchmark.Cursor();
      cursor.setUp();
      for (int i = 0; i < 1000; i++) {
        assertThat(benchmark.objectAndSlice(cursor)).isEqualTo(4096);
        assertThat(benchmark.objectAndSliceOrCreate(cursor)).isEqualTo(4096);
      }
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void zipf_ranks_headHeavy() {
    int[] ranks = MemoryTierBenchmark.zipf(4096, 0.99, 100_000, new java.util.Random(1));
    long top10 = java.util.Arrays.stream(ranks).filter(r -> r < 10).count();
    assertThat(top10).isBetween(25_000L, 40_000L); // ~32% of draws on the 10 hottest of 4096
    assertThat(java.util.Arrays.stream(ranks).max().getAsInt()).isLessThan(4096);
  }

  @Test
  void rangeArithmetic_workload_everyOutcomeButUnsatisfiable() {
    RangeArithmeticBenchmark benchmark = new RangeArithmeticBenchmark();
    benchmark.setUp();
    for (int i = 0; i < 8; i++) {
      assertThat(benchmark.byteRange().outcome()).isNotEqualTo(ByteRange.Outcome.UNSATISFIABLE);
      benchmark.rangeToSlices();
      assertThat(benchmark.contentRangeHeader()).startsWith("bytes ");
      assertThat(benchmark.parseContentRange()).isNotNull();
    }
  }

  @Test
  void coalescingFanOut_35Readers_eachReadsTheWholeSlice() {
    CoalescingFanOutBenchmark benchmark = new CoalescingFanOutBenchmark();
    benchmark.size = 65536 + 5;
    benchmark.watchers = 35;
    benchmark.chunk = 16384;
    benchmark.setUp();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(benchmark.fanOut()).isEqualTo(35L * (65536 + 5));
      }
    } finally {
      benchmark.tearDown();
    }
  }
}
