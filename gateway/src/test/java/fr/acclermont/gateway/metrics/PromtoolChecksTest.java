package fr.acclermont.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.PrometheusBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus files pass {@code promtool}: the scrape configuration (and the rule files it
 * names), the rules, and the rules' unit tests. Skipped loudly without promtool, failed in CI
 * ({@link PrometheusBinaries}).
 */
class PromtoolChecksTest {

  static final Path PROMETHEUS_DIR = Path.of("../config/prometheus");

  @Test
  void checkConfig_shippedScrapeConfiguration_valid() throws Exception {
    Result result = promtool("check", "config", PROMETHEUS_DIR.resolve("prometheus.yml").toString());

    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output).contains("SUCCESS: 1 rule files found");
  }

  @Test
  void checkRules_shippedRules_valid() throws Exception {
    Result result = promtool("check", "rules", PROMETHEUS_DIR.resolve("gateway-rules.yml").toString());

    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output).contains("SUCCESS");
  }

  @Test
  void testRules_alertsAndRecordingRules_behaveAsTheirUnitTestsSay() throws Exception {
    Result result = promtool("test", "rules", PROMETHEUS_DIR.resolve("tests/gateway-rules-test.yml").toString());

    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output).contains("SUCCESS");
  }

  record Result(int exitCode, String output) {
  }

  private static Result promtool(String... args) throws IOException, InterruptedException {
    return promtoolWithInput("", args);
  }

  /** Runs promtool with {@code input} on its stdin; the output starts with the command line. */
  static Result promtoolWithInput(String input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(PrometheusBinaries.require("promtool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      try (var stdin = process.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
      byte[] output = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      return new Result(process.exitValue(), String.join(" ", command) + "\n" + new String(output, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }
}
