package fr.acclermont.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareResultsTest {

  private static final String OLD = """
      [
        {"benchmark": "fr.acclermont.benchmarks.server.MemoryHitPipelineBenchmark.memoryHit", "mode": "thrpt",
         "params": {"size": "4096"},
         "primaryMetric": {"score": 100000.0, "scoreError": 1000.0, "scoreUnit": "ops/s"},
         "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 4000.0, "scoreError": 5.0, "scoreUnit": "B/op"}}},
        {"benchmark": "fr.acclermont.benchmarks.cache.FreshnessBenchmark.isFresh", "mode": "thrpt",
         "primaryMetric": {"score": 5.0E7, "scoreError": "NaN", "scoreUnit": "ops/s"},
         "secondaryMetrics": {}},
        {"benchmark": "fr.acclermont.benchmarks.cache.FreshnessBenchmark.storable", "mode": "thrpt",
         "primaryMetric": {"score": 1.0, "scoreError": "NaN", "scoreUnit": "ops/s"}, "secondaryMetrics": {}}
      ]
      """;
  private static final String NEW = """
      [
        {"benchmark": "fr.acclermont.benchmarks.server.MemoryHitPipelineBenchmark.memoryHit", "mode": "thrpt",
         "params": {"size": "4096"},
         "primaryMetric": {"score": 120000.0, "scoreError": 1000.0, "scoreUnit": "ops/s"},
         "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 3000.0, "scoreError": 5.0, "scoreUnit": "B/op"}}},
        {"benchmark": "fr.acclermont.benchmarks.cache.FreshnessBenchmark.isFresh", "mode": "thrpt",
         "primaryMetric": {"score": 4.0E7, "scoreError": "NaN", "scoreUnit": "ops/s"},
         "secondaryMetrics": {}}
      ]
      """;

  @Test
  void compare_twoRuns_ratiosMarkedBeyondNoise() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, CompareResults.Result> before = CompareResults.parse(json.readTree(OLD));
    Map<String, CompareResults.Result> after = CompareResults.parse(json.readTree(NEW));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompareResults.compare(before, after, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("only in the old file: cache.FreshnessBenchmark.storable");
    assertThat(out.lines().filter(l -> l.startsWith("server.MemoryHitPipelineBenchmark.memoryHit {size=4096}")))
        .singleElement().asString().contains("100,000", "120,000", "1.200 *", "4,000", "3,000");
    assertThat(out.lines().filter(l -> l.startsWith("cache.FreshnessBenchmark.isFresh")))
        .singleElement().asString().contains("0.800").doesNotContain("*");
  }
}
