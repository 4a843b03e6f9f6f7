package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestSpec;
import fr.acclermont.loadtest.report.ObjectJsonReport;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The random-ranges command end to end, straight at the demo origin (target and origin), and its plans. */
class RandomRangesTest {

  private static final String PATH = "/blobs/4MiB/y";
  private static final long SIZE = 4L << 20;
  private static final long RANGE = 64 * 1024;
  private static final int CLIENTS = 4;
  private static final int READS = 5;
  private static final long SEED = 7;

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
  void randomRanges_fourClientsFiveReadsAtTheOrigin_everyRangeVerifiedAndServedOnce() throws Exception {
    String url = origin.baseUri().toString();
    ClassroomTest.Run run = ClassroomTest.run("random-ranges", "--target", url, "--origin", url,
        "--clients", "" + CLIENTS, "--reads", "" + READS, "--path", PATH, "--seed", "" + SEED,
        "--report", reports.toString());
    System.out.println(run.out());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("errors: none", "the uplink carried the object 0.31×");
    JsonNode report = new ObjectMapper().readTree(reports.resolve("random-ranges.json").toFile());
    assertThat(report.path("schema").asText()).isEqualTo(ObjectJsonReport.SCHEMA);
    assertThat(report.path("command").asText()).isEqualTo("random-ranges");
    assertThat(report.path("settings").path("range-size").asText()).isEqualTo("64KiB");
    assertThat(report.path("objectBytes").asLong()).isEqualTo(SIZE);
    long requests = CLIENTS * READS;
    assertThat(report.path("requests").asLong()).isEqualTo(requests);
    assertThat(report.path("ok").asLong()).isEqualTo(requests);
    assertThat(report.path("failed").asLong()).isZero();
    report.path("errors").forEach(count -> assertThat(count.asLong()).isZero());
    assertThat(report.path("deliveredBytes").asLong()).isEqualTo(requests * RANGE);

    JsonNode latency = report.path("completeMillis");
    assertThat(latency.path("count").asLong()).isEqualTo(requests);
    assertThat(latency.path("p50").asDouble()).isLessThanOrEqualTo(latency.path("p90").asDouble());
    assertThat(latency.path("p90").asDouble()).isLessThanOrEqualTo(latency.path("p99").asDouble());
    assertThat(latency.path("p99").asDouble()).isLessThanOrEqualTo(latency.path("max").asDouble());
    assertThat(report.path("clients")).hasSize(CLIENTS).allSatisfy(client -> {
      assertThat(client.path("requests").asInt()).isEqualTo(READS);
      assertThat(client.path("failed").asInt()).isZero();
      assertThat(client.path("bytes").asLong()).isEqualTo(READS * RANGE);
      assertThat(client.path("connections").asInt()).as("one keep-alive connection").isEqualTo(1);
    });

    long distinct = report.path("distinctBytesRequested").asLong();
    assertThat(distinct).isEqualTo(everyByteAsked()).isPositive().isLessThanOrEqualTo(requests * RANGE);
    // Straight at the origin, every range crossed the "uplink" once.
    JsonNode uplink = report.path("uplink");
    assertThat(uplink.path("pathRequests").asLong()).isEqualTo(requests).isEqualTo(origin.stats().requests(PATH));
    long pathBytes = uplink.path("pathBytes").asLong();
    assertThat(pathBytes).isEqualTo(requests * RANGE).isEqualTo(origin.stats().bytes(PATH));
    assertThat(uplink.path("objectCopies").asDouble()).isEqualTo((double) pathBytes / SIZE);
    assertThat(uplink.path("bytesPerDistinctByte").asDouble()).isEqualTo((double) pathBytes / distinct)
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void plans_sameSeed_sameRangesOfTheRightSizeInsideTheObject() {
    DemoObject object = new DemoObject(PATH, SIZE, 1);
    List<StudentPlan> plans = RandomRanges.plans(object, CLIENTS, READS, RANGE, SEED);

    assertThat(ranges(plans)).isEqualTo(ranges(RandomRanges.plans(object, CLIENTS, READS, RANGE, SEED)))
        .isNotEqualTo(ranges(RandomRanges.plans(object, CLIENTS, READS, RANGE, SEED + 1)))
        .hasSize(CLIENTS * READS)
        .allSatisfy(range -> {
          assertThat(range.first()).isBetween(0L, SIZE - RANGE);
          assertThat(range.last() - range.first() + 1).isEqualTo(RANGE);
        });
    assertThat(plans).allSatisfy(plan -> assertThat(plan.batches()).hasSize(READS)
        .allSatisfy(batch -> assertThat(batch.requests()).hasSize(1)));
  }

  @Test
  void plans_rangeAsLongAsTheObject_alwaysTheWholeObject() {
    DemoObject object = new DemoObject("/blobs/100/z", 100, 1);
    assertThat(ranges(RandomRanges.plans(object, 2, 3, 100, SEED))).containsOnly(RangeSpec.of(0, 100));
  }

  @Test
  void randomRanges_badValues_exitWith2OnOneLineNamingTheFlag() {
    String url = origin.baseUri().toString();
    String[][] cases = {
      {"--clients", "0", "an integer from 1 to 1000"},
      {"--reads", "0", "an integer from 1 to 1000"},
      {"--reads", "1001", "an integer from 1 to 1000"},
      {"--range-size", "0", "a size from 1 to 1GiB"},
      {"--range-size", "2GiB", "a size from 1 to 1GiB"},
      {"--range-size", "64kb", "a size such as"},
      {"--seed", "abc", "an integer"},
      {"--timeout", "0s", "a duration above 0"},
      {"--max-time", "1x", "a duration such as"},
      {"--path", "blobs/4MiB/y", "a path without query string"},
      {"--target", "ftp://x", "an http:// URL"}};
    for (String[] c : cases) {
      ClassroomTest.Run run = c[0].equals("--target")
          ? ClassroomTest.run("random-ranges", c[0], c[1])
          : ClassroomTest.run("random-ranges", "--target", url, c[0], c[1]);
      assertThat(run.code()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(run.err().lines()).as(String.join(" ", c)).singleElement().asString()
          .startsWith("random-ranges: " + c[0] + ": ").contains(c[1], c[2]);
    }
  }

  @Test
  void randomRanges_rangeLongerThanTheObject_exitsWith2NamingTheFlag() {
    ClassroomTest.Run run = ClassroomTest.run("random-ranges", "--target", origin.baseUri().toString(),
        "--path", PATH, "--range-size", "8MiB");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .isEqualTo("random-ranges: --range-size: 8MiB (expected: at most the length of " + PATH + ", " + SIZE
            + " bytes)");
  }

  /** The bytes the run with {@link #SEED} asks for, counted one by one. */
  private static long everyByteAsked() {
    BitSet asked = new BitSet();
    for (RangeSpec range : ranges(RandomRanges.plans(new DemoObject(PATH, SIZE, 1), CLIENTS, READS, RANGE, SEED))) {
      asked.set((int) range.first(), (int) range.last() + 1);
    }
    return asked.cardinality();
  }

  private static List<RangeSpec> ranges(List<StudentPlan> plans) {
    return plans.stream().flatMap(plan -> plan.batches().stream()).flatMap(batch -> batch.requests().stream())
        .map(RequestSpec::range).toList();
  }
}
