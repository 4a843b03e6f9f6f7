package fr.acclermont.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import fr.acclermont.gateway.testing.PrometheusBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus files pass {@code promtool}: the scrape configuration (and the rule files it
 * names), the rules, and the rules' unit tests. Skipped loudly without promtool, failed in CI
 * ({@link PrometheusBinaries}). And every alert links to its section of {@code docs/runbooks.md}
 * (no binary needed).
 */
class PromtoolChecksTest {

  static final Path PROMETHEUS_DIR = Path.of("../config/prometheus");
  static final Path RUNBOOKS = Path.of("../docs/runbooks.md");
  /** Where the shipped rules say docs/runbooks.md is; deployments replace it (README "Alerts"). */
  static final String RUNBOOKS_URL = "https://runbooks.invalid/textbook-gateway/docs/runbooks.md";

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

  /**
   * Every alert has a {@code runbook_url} to the section of docs/runbooks.md named after it (the
   * anchor GitHub and GitLab give the heading {@code ## <alert>}: its name in lower case), and that
   * section says what the alert means, what to check first and what to do; every alert section of
   * the runbooks is an alert of the rules.
   */
  @Test
  void runbooks_everyAlert_linksToItsSectionOfDocsRunbooks() throws Exception {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(PROMETHEUS_DIR.resolve("gateway-rules.yml").toFile());
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.has("alert")) {
          String alert = rule.get("alert").asText();
          alerts.add(alert);
          assertThat(rule.path("annotations").path("runbook_url").asText()).as(alert)
              .isEqualTo(RUNBOOKS_URL + "#" + alert.toLowerCase(Locale.ROOT));
        }
      }
    }
    assertThat(alerts).contains("GatewayDown", "GatewayDiskCorruptReads", "GatewayDiskWritesSkipped",
        "GatewayDirectMemoryNearLimit", "GatewayAccessLogDropping", "GatewayRestarting", "GatewayConfigReloadFailed");

    Map<String, String> sections = sections(Files.readString(RUNBOOKS));
    for (String alert : alerts) {
      String anchor = alert.toLowerCase(Locale.ROOT);
      assertThat(sections).as("docs/runbooks.md has a section ## " + alert).containsKey(anchor);
      assertThat(sections.get(anchor)).as(alert)
          .contains("**What it means**", "**What to check first**", "**What to do**");
    }
    assertThat(sections.keySet()).filteredOn(a -> a.startsWith("gateway"))
        .as("alert sections of docs/runbooks.md").containsExactlyInAnyOrderElementsOf(
            alerts.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList());
  }

  /** The level-2 sections of a Markdown file by anchor (GitHub's and GitLab's), with their text. */
  private static Map<String, String> sections(String markdown) {
    Map<String, String> sections = new LinkedHashMap<>();
    String anchor = null;
    StringBuilder text = new StringBuilder();
    for (String line : (markdown + "\n## end").lines().toList()) {
      if (line.startsWith("## ")) {
        if (anchor != null) {
          assertThat(sections.put(anchor, text.toString())).as("one section #" + anchor).isNull();
        }
        anchor = line.substring(3).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
            .replace(' ', '-');
        text.setLength(0);
      } else {
        text.append(line).append('\n');
      }
    }
    return sections;
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
