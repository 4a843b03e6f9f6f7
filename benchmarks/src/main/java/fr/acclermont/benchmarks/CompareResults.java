package fr.acclermont.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two JMH result files ({@code -rf json -rff FILE}), for example the same benchmarks run
 * on two commits: for each benchmark and parameter set found in both, the score of each, the ratio
 * {@code new / old}, and the heap bytes allocated per operation of each when the runs used
 * {@code -prof gc}. A ratio is marked {@code *} when the two scores' error intervals do not
 * overlap (a change beyond the runs' own noise; with one fork and few iterations JMH gives no
 * error, and nothing is marked).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar fr.acclermont.benchmarks.CompareResults old.json new.json
 * benchmarks/bin/compare.sh old.json new.json
 * </pre>
 */
public final class CompareResults {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALLOC = "gc.alloc.rate.norm";

  /** One benchmark's result: its score and error, and its allocation per operation (NaN when not profiled). */
  record Result(double score, double error, String unit, double bytesPerOp) {
  }

  private CompareResults() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CompareResults OLD.json NEW.json");
      System.exit(2);
    }
    compare(read(Path.of(args[0])), read(Path.of(args[1])), System.out);
  }

  /** The results of a JMH JSON file, by benchmark name and parameters, in file order. */
  static Map<String, Result> read(Path file) throws IOException {
    return parse(JSON.readTree(file.toFile()));
  }

  static Map<String, Result> parse(JsonNode runs) {
    Map<String, Result> results = new LinkedHashMap<>();
    for (JsonNode run : runs) {
      String name = run.path("benchmark").asText().replaceFirst("^fr\\.acclermont\\.benchmarks\\.", "");
      Map<String, String> params = new TreeMap<>();
      for (Map.Entry<String, JsonNode> param : run.path("params").properties()) {
        params.put(param.getKey(), param.getValue().asText());
      }
      String key = params.isEmpty() ? name : name + " " + params.toString().replace(", ", ",");
      JsonNode primary = run.path("primaryMetric");
      JsonNode alloc = run.path("secondaryMetrics").path(ALLOC);
      results.put(key, new Result(primary.path("score").asDouble(), number(primary.path("scoreError")),
          primary.path("scoreUnit").asText(), alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
    }
    return results;
  }

  /** JMH writes "NaN" (a string) for the error of a single measurement. */
  private static double number(JsonNode node) {
    return node.isNumber() ? node.asDouble() : Double.NaN;
  }

  static void compare(Map<String, Result> before, Map<String, Result> after, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"benchmark", "old", "new", "unit", "new/old", "old B/op", "new B/op"});
    for (Map.Entry<String, Result> entry : before.entrySet()) {
      Result a = entry.getValue();
      Result b = after.get(entry.getKey());
      if (b == null) {
        continue;
      }
      boolean beyondNoise = !Double.isNaN(a.error()) && !Double.isNaN(b.error())
          && (a.score() + a.error() < b.score() - b.error() || b.score() + b.error() < a.score() - a.error());
      rows.add(new String[] {entry.getKey(), format(a.score()), format(b.score()), a.unit(),
          String.format("%.3f%s", b.score() / a.score(), beyondNoise ? " *" : ""), bytes(a.bytesPerOp()),
          bytes(b.bytesPerOp())});
    }
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        out.println("only in the old file: " + key);
      }
    }
    for (String key : after.keySet()) {
      if (!before.containsKey(key)) {
        out.println("only in the new file: " + key);
      }
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = i == 0 || i == 3 ? pad(row[i], widths[i], false) : pad(row[i], widths[i], true);
        line.append(i == 0 ? "" : "  ").append(cell);
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String format(double score) {
    return score >= 100 ? String.format("%,.0f", score) : String.format("%.3f", score);
  }

  private static String bytes(double bytesPerOp) {
    return Double.isNaN(bytesPerOp) ? "-" : String.format("%,.0f", bytesPerOp);
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(width - s.length());
    return right ? spaces + s : s + spaces;
  }
}
