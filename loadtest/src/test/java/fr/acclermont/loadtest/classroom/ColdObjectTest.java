package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.DemoContent;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.loadtest.report.ObjectJsonReport;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold-object command end to end, straight at the demo origin (target and origin). */
class ColdObjectTest {

  private static final String PATH = "/blobs/2MiB/x";
  private static final long SIZE = 2L << 20;
  private static final int CLIENTS = 5;

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
  void coldObject_fiveClientsAtTheOrigin_eachGetsTheWholeObjectAndTheOriginServesItFiveTimes() throws Exception {
    String url = origin.baseUri().toString();
    ClassroomTest.Run run = ClassroomTest.run("cold-object", "--target", url, "--origin", url,
        "--clients", "" + CLIENTS, "--path", PATH, "--report", reports.toString());
    System.out.println(run.out());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("errors: none", "the uplink carried the object 5.00×")
        .containsPattern("warm-up 1 of 1: 5 clients GET /blobs/256KiB/warm-[0-9a-z]+-[0-9a-z]+\n");
    JsonNode report = new ObjectMapper().readTree(reports.resolve("cold-object.json").toFile());
    assertThat(report.path("schema").asText()).isEqualTo(ObjectJsonReport.SCHEMA);
    assertThat(report.path("command").asText()).isEqualTo("cold-object");
    assertThat(report.path("path").asText()).isEqualTo(PATH);
    assertThat(report.path("objectBytes").asLong()).isEqualTo(SIZE);
    assertThat(report.path("requests").asLong()).isEqualTo(CLIENTS);
    assertThat(report.path("ok").asLong()).isEqualTo(CLIENTS);
    assertThat(report.path("failed").asLong()).isZero();
    report.path("errors").forEach(count -> assertThat(count.asLong()).isZero());
    assertThat(report.path("deliveredBytes").asLong()).isEqualTo(CLIENTS * SIZE);
    assertThat(report.path("distinctBytesRequested").asLong()).isEqualTo(SIZE);

    JsonNode firstByte = report.path("firstByteMillis");
    assertThat(firstByte.path("count").asLong()).isEqualTo(CLIENTS);
    assertThat(firstByte.path("p50").asDouble()).isLessThanOrEqualTo(firstByte.path("p90").asDouble());
    assertThat(firstByte.path("p90").asDouble()).isLessThanOrEqualTo(firstByte.path("max").asDouble());
    JsonNode clients = report.path("clients");
    assertThat(clients).hasSize(CLIENTS);
    double lastDone = 0;
    for (JsonNode client : clients) {
      assertThat(client.path("requests").asInt()).isEqualTo(1);
      assertThat(client.path("failed").asInt()).isZero();
      assertThat(client.path("bytes").asLong()).isEqualTo(SIZE);
      assertThat(client.path("connections").asInt()).as("its own connection").isEqualTo(1);
      assertThat(client.path("firstByteMillis").asDouble()).isPositive()
          .isLessThanOrEqualTo(client.path("doneMillis").asDouble());
      lastDone = Math.max(lastDone, client.path("doneMillis").asDouble());
    }
    assertThat(report.path("allDoneMillis").asDouble()).isEqualTo(lastDone);

    // Straight at the origin, every client's GET crossed the "uplink": 5 copies of the object; the
    // warm-up round's requests (another path) were before the counts were reset.
    JsonNode uplink = report.path("uplink");
    assertThat(uplink.path("pathRequests").asLong()).isEqualTo(CLIENTS).isEqualTo(origin.stats().requests(PATH));
    assertThat(uplink.path("pathBytes").asLong()).isEqualTo(CLIENTS * SIZE).isEqualTo(origin.stats().bytes(PATH));
    assertThat(uplink.path("requests").asLong()).isEqualTo(CLIENTS);
    assertThat(uplink.path("objectCopies").asDouble())
        .isEqualTo((double) uplink.path("pathBytes").asLong() / SIZE).isEqualTo(CLIENTS);
    assertThat(uplink.path("bytesPerDistinctByte").asDouble()).isEqualTo(CLIENTS);
  }

  @Test
  void coldObject_atTheOriginWithoutOriginFlag_countsTheUplinkAtTheTarget() throws Exception {
    String path = "/blobs/64KiB/no-origin-flag";
    ClassroomTest.Run run = ClassroomTest.run("cold-object", "--target", origin.baseUri().toString(),
        "--clients", "2", "--path", path, "--report", reports.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("the uplink carried the object 2.00×");
    JsonNode report = new ObjectMapper().readTree(reports.resolve("cold-object.json").toFile());
    assertThat(report.path("ok").asLong()).isEqualTo(2);
    assertThat(report.path("origin").asText()).isEqualTo(origin.baseUri().toString());
    assertThat(report.path("uplink").path("pathRequests").asLong()).isEqualTo(2).isEqualTo(origin.stats().requests(path));
  }

  @Test
  void freshPath_isANewBlobOfTheDefaultSize() {
    String path = ObjectScenario.freshPath(ColdObject.DEFAULT_SIZE, "cold");
    assertThat(path).matches("/blobs/20MiB/cold-[0-9a-z]+-[0-9a-z]+");
    assertThat(DemoContent.of(1).length(path)).isEqualTo(20L << 20);
  }

  @Test
  void coldObject_badValues_exitWith2OnOneLineNamingTheFlag() {
    String url = origin.baseUri().toString();
    String[][] cases = {
      {"--clients", "0", "an integer from 1 to 1000"},
      {"--clients", "1001", "an integer from 1 to 1000"},
      {"--clients", "many", "an integer from 1"},
      {"--timeout", "0s", "a duration above 0"},
      {"--warm-up", "-1", "an integer from 0 to 10"},
      {"--warm-up", "11", "an integer from 0 to 10"},
      {"--timeout", "60", "a duration such as"},
      {"--path", "blobs/2MiB/x", "a path without query string"},
      {"--path", "/blobs/2MiB/x?no-ranges=1", "a path without query string"},
      {"--target", "ftp://x", "an http:// URL"}};
    for (String[] c : cases) {
      ClassroomTest.Run run = c[0].equals("--target")
          ? ClassroomTest.run("cold-object", c[0], c[1])
          : ClassroomTest.run("cold-object", "--target", url, c[0], c[1]);
      assertThat(run.code()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(run.err().lines()).as(String.join(" ", c)).singleElement().asString()
          .startsWith("cold-object: " + c[0] + ": ").contains(c[1], c[2]);
    }
  }

  @Test
  void coldObject_pathTheOriginDoesNotServe_exitsWith2NamingTheFlag() {
    ClassroomTest.Run run =
        ClassroomTest.run("cold-object", "--target", origin.baseUri().toString(), "--path", "/nowhere/x");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("cold-object: --path: \"/nowhere/x\" is not served by the demo origin");
  }

  @Test
  void coldObject_missingTarget_exitsWith2() {
    assertThat(ClassroomTest.run("cold-object").code()).isEqualTo(2);
  }
}
