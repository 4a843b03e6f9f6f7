package fr.acclermont.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.loadtest.client.ErrorKind;
import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestResult;
import fr.acclermont.loadtest.client.RequestSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three renderings of a known round: console, JSON and HTML. */
class ReportTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static RunReport report;

  @BeforeAll
  static void record() {
    long start = 1_000_000_000L;
    RunRecorder recorder = new RunRecorder(start, Instant.parse("2025-09-01T06:00:00Z"));
    RequestSpec manifest = RequestSpec.whole(RequestKind.MANIFEST, "/books/a/manifest.json", 1000, null);
    RequestSpec asset = RequestSpec.whole(RequestKind.ASSET, "/books/a/assets/x.css", 5000, null);
    RequestSpec range =
        RequestSpec.range(RequestKind.RANGE, "/books/a/book.pdf", RangeSpec.of(0, 65536), 1 << 20, null);
    for (int student = 0; student < 3; student++) {
      long t0 = start + student * 100 * MS;
      recorder.record(new RequestResult(manifest, t0, t0, t0 + 20 * MS, t0 + 25 * MS, 1000, 200, null, ""));
      for (int i = 0; i < 50; i++) {
        long queued = t0 + 25 * MS;
        recorder.record(new RequestResult(asset, queued, queued, queued + (10 + i) * MS, queued + (12 + i) * MS,
            5000, 200, null, ""));
      }
      recorder.record(new RequestResult(range, t0 + 90 * MS, t0 + 90 * MS, t0 + 95 * MS, t0 + 99 * MS, 65536, 206,
          null, ""));
      recorder.student(new StudentRecord(student + 1, 1, "book", true, t0 - start, t0 - start + 20 * MS,
          t0 - start + 25 * MS, t0 - start + 87 * MS, t0 - start + 99 * MS, 52, 0,
          1000 + 50 * 5000 + 65536, 6));
    }
    recorder.record(new RequestResult(asset, start, start, 0, start + 30 * MS, 0, 0, ErrorKind.TIMEOUT, "slow"));
    RoundResult round = recorder.finish(1, "round 1 of 1", List.of(new GroupRecord(1, "a", "book", 0, 3)),
        new UplinkFigures(53, 320_536));
    report = new RunReport("classroom", "3 students open a", "http://127.0.0.1:8080", "http://127.0.0.1:8000",
        Instant.parse("2025-09-01T06:00:00Z"), Map.of("students", 3), List.of(round));
  }

  @Test
  void json_parses_withTheDocumentedFields() throws Exception {
    JsonNode root = new ObjectMapper().readTree(JsonReport.render(report));
    assertThat(root.path("schema").asText()).isEqualTo(JsonReport.SCHEMA);
    assertThat(root.path("command").asText()).isEqualTo("classroom");
    assertThat(root.path("settings").path("students").asInt()).isEqualTo(3);
    JsonNode round = root.path("rounds").get(0);
    assertThat(round.fieldNames()).toIterable().contains("round", "label", "startedAt", "durationSeconds", "requests",
        "failed", "deliveredBytes", "requestsPerSecond", "mibPerSecond", "errors", "kinds", "bookOpen", "uplink",
        "classes", "students");
    assertThat(round.path("requests").asLong()).isEqualTo(3 * 52 + 1);
    assertThat(round.path("failed").asLong()).isEqualTo(1);
    assertThat(round.path("errors").fieldNames()).toIterable()
        .containsExactly("connect", "reset", "timeout", "status", "short-body", "corrupt");
    assertThat(round.path("errors").path("timeout").asLong()).isEqualTo(1);
    assertThat(round.path("kinds").fieldNames()).toIterable().containsExactly("manifest", "asset", "range", "video");
    JsonNode asset = round.path("kinds").path("asset");
    assertThat(asset.path("requests").asLong()).isEqualTo(151);
    assertThat(asset.path("failed").asLong()).isEqualTo(1);
    assertThat(asset.path("firstByteMillis").fieldNames()).toIterable()
        .containsExactly("count", "mean", "p50", "p90", "p99", "p999", "p9999", "max");
    assertThat(asset.path("firstByteMillis").path("p50").asDouble()).isBetween(34.0, 35.1);
    assertThat(asset.path("completeMillis").path("max").asDouble()).isBetween(61.0, 61.1);
    assertThat(round.path("kinds").path("video").path("firstByteMillis").path("p50").isNull()).isTrue();
    assertThat(round.path("bookOpen").path("opened").asInt()).isEqualTo(3);
    assertThat(round.path("bookOpen").path("millis").path("max").asDouble()).isBetween(87.0, 87.1);
    assertThat(round.path("uplink").path("bytes").asLong()).isEqualTo(320_536);
    assertThat(round.path("uplink").path("bytesPerDeliveredByte").asDouble()).isBetween(0.3, 0.4);
    assertThat(round.path("students")).hasSize(3);
    assertThat(round.path("students").get(0).fieldNames()).toIterable().containsExactly("student", "class",
        "activity", "startMillis", "manifestMillis", "bookOpenMillis", "doneMillis", "requests", "failed", "bytes",
        "connections");
    assertThat(round.path("students").get(0).path("connections").asInt()).isEqualTo(6);
    assertThat(round.path("classes").get(0).path("book").asText()).isEqualTo("a");
  }

  @Test
  void html_holdsTheTwoChartsAndNothingExternal() {
    String html = HtmlReport.render(report);
    assertThat(count(html, "<svg")).isEqualTo(2);
    assertThat(html)
        .contains("<title>" + LatencyChart.TITLE + "</title>", "<title>" + TimelineChart.TITLE + "</title>");
    assertThat(count(html, "<polyline")).as("a time-to-complete and a time-to-first-byte curve per kind").isEqualTo(6);
    for (int student = 1; student <= 3; student++) {
      assertThat(count(html, "<title>student " + student + " (class 1, book): ")).as("the bar of student %d", student)
          .isEqualTo(1);
    }
    assertThat(html.toLowerCase()).doesNotContain("<script", "src=", "href=", "@import", "url(", "xmlns=");
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
  }

  @Test
  void console_showsPercentilesErrorsBookOpenAndUplink() {
    StringWriter text = new StringWriter();
    ConsoleSummary.write(new PrintWriter(text), report, report.rounds().get(0));
    String summary = text.toString();
    System.out.println(summary);
    assertThat(summary).contains("p50", "p90", "p99", "p99.9", "max", "manifest", "asset", "range")
        .doesNotContain("video")
        .contains("errors: timeout 1")
        .contains("book open (ms): p50 ")
        .contains("uplink: 53 requests");
  }

  @Test
  void files_areWrittenUnderTheCommandsName(@TempDir Path dir) throws Exception {
    List<Path> written = ReportFiles.write(dir.resolve("sub"), report);
    assertThat(written).extracting(path -> path.getFileName().toString())
        .containsExactly("classroom.json", "classroom.html");
    assertThat(Files.size(written.get(1))).isPositive();
  }

  private static int count(String text, String part) {
    Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }
}
