package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.Catalog;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.loadtest.client.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchoolDayTest {

  private static DemoOrigin origin;

  @TempDir
  Path reports;

  @BeforeAll
  static void start() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @Test
  void schoolDay_smallDay_completesWithoutErrorsAndReportsEveryActivity() throws Exception {
    String url = origin.baseUri().toString();
    ClassroomTest.Run run = ClassroomTest.run("school-day", "--target", url, "--origin", url, "--classes", "4",
        "--students", "2", "--duration", "1s", "--pdf-pages", "2", "--video-reads", "2", "--report",
        reports.toString());
    System.out.println(run.out());

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode day = new ObjectMapper().readTree(reports.resolve("school-day.json").toFile()).path("rounds").get(0);
    assertThat(day.path("failed").asLong()).isZero();
    List<String> activities = new ArrayList<>();
    day.path("classes").forEach(c -> activities.add(c.path("activity").asText()));
    assertThat(activities).containsExactlyInAnyOrder("book", "book", "pdf", "video");
    assertThat(day.path("students")).hasSize(8);
    // A video read is queued only after the previous one ends and never after the duration, so a
    // class that starts late in a slow run may read fewer than its 2 × 2 ranges; none may fail.
    assertThat(day.path("kinds").path("video").path("ok").asLong()).isBetween(1L, 2L * 2);
    assertThat(day.path("kinds").path("asset").path("ok").asLong()).isPositive();
    assertThat(day.path("uplink").path("bytes").asLong()).isEqualTo(day.path("deliveredBytes").asLong());
    assertThat(Files.readString(reports.resolve("school-day.html"))).contains("<svg");
  }

  @Test
  void schoolDay_zeroDuration_exitsWith2() {
    ClassroomTest.Run run =
        ClassroomTest.run("school-day", "--target", origin.baseUri().toString(), "--duration", "0s");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("school-day: --duration: ");
  }

  @Test
  void chooseClasses_sameSeed_sameDay() throws Exception {
    TargetCatalog catalog = TargetCatalog.parse(Catalog.generate(1).toJson().getBytes());
    SchoolDay.Settings settings = new SchoolDay.Settings(Target.parse("http://127.0.0.1:1"), null, 12, 35,
        Duration.ofSeconds(60), 7, 20, 16, Duration.ofSeconds(30), Duration.ofSeconds(30), null);
    assertThat(SchoolDay.chooseClasses(settings, catalog, new SplittableRandom(7)))
        .isEqualTo(SchoolDay.chooseClasses(settings, catalog, new SplittableRandom(7)))
        .isSortedAccordingTo(Comparator.comparingLong(SchoolDay.PlannedClass::startNanos))
        .allSatisfy(c -> assertThat(c.startNanos()).isBetween(0L, Duration.ofSeconds(60).toNanos()));
  }

  @Test
  void zipf_exponentOne_rankFrequenciesFollowOneOverK() {
    Zipf zipf = new Zipf(4, 1.0);
    SplittableRandom random = new SplittableRandom(1);
    int[] counts = new int[4];
    for (int i = 0; i < 100_000; i++) {
      counts[zipf.sample(random)]++;
    }
    // Expected shares 48 %, 24 %, 16 %, 12 %; the seed is fixed, so the margins only absorb the law.
    assertThat(counts[0] / 100_000.0).isBetween(0.46, 0.50);
    assertThat(counts[1] / 100_000.0).isBetween(0.22, 0.26);
    assertThat(counts[2] / 100_000.0).isBetween(0.14, 0.18);
    assertThat(counts[3] / 100_000.0).isBetween(0.10, 0.14);
  }
}
