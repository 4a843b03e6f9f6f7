package fr.acclermont.benchmarks.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request-path benchmarks still measure what they claim: their setup checks that a request is
 * a complete hit (from disk when it should be), and a few operations later nothing is left
 * referenced. Not a measurement: the build runs these, never the benchmarks.
 */
class PipelineBenchmarksTest {

  @ParameterizedTest
  @ValueSource(ints = {4096, 1048576 + 17})
  void memoryHit_severalRequests_wholeResponsesAndReleased(int size) throws Exception {
    MemoryHitPipelineBenchmark benchmark = new MemoryHitPipelineBenchmark();
    benchmark.size = size;
    benchmark.setUp();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(benchmark.memoryHit()).isBetween(size + 200L, size + 1000L);
      }
      benchmark.checkReleased();
    } finally {
      benchmark.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 1048576 + 17})
  void diskHit_severalRequests_zeroCopyAndReleased(int size) throws Exception {
    DiskHitPipelineBenchmark benchmark = new DiskHitPipelineBenchmark();
    benchmark.size = size;
    benchmark.setUp();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(benchmark.diskHit()).isBetween(size + 200L, size + 1000L);
      }
      benchmark.checkSettled();
    } finally {
      benchmark.tearDown();
    }
  }
}
