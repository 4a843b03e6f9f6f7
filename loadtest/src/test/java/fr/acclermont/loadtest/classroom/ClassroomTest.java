package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.loadtest.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The classroom command end to end, against the demo origin as target and as origin. */
class ClassroomTest {

  private static final int STUDENTS = 3;
  private static final int PDF_PAGES = 3;
  private static final long PDF_RANGE = 64 * 1024;

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
  void classroom_threeStudentsTwoRounds_countsEveryRequestAndByte() throws Exception {
    String url = origin.baseUri().toString();
    Run run = run("classroom", "--target", url, "--origin", url, "--students", "" + STUDENTS,
        "--pdf-pages", "" + PDF_PAGES, "--spread", "100ms", "--rounds", "2", "--report", reports.toString());
    System.out.println(run.out);

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out).contains("round 1 of 2", "round 2 of 2", "errors: none", "uplink: ");
    Book book = origin.catalog().books().get(0);
    long manifestBytes = manifestBytes(book);
    long assets = book.assets().size();
    JsonNode report = new ObjectMapper().readTree(reports.resolve("classroom.json").toFile());
    assertThat(report.path("rounds")).hasSize(2);
    for (JsonNode round : report.path("rounds")) {
      assertThat(round.path("failed").asLong()).isZero();
      round.path("errors").forEach(count -> assertThat(count.asLong()).isZero());
      JsonNode kinds = round.path("kinds");
      assertThat(kinds.path("manifest").path("ok").asLong()).isEqualTo(STUDENTS);
      assertThat(kinds.path("asset").path("ok").asLong()).isEqualTo(STUDENTS * assets);
      assertThat(kinds.path("range").path("ok").asLong()).as("the end of the file, then the pages")
          .isEqualTo(STUDENTS * (1 + PDF_PAGES));
      assertThat(kinds.path("video").path("requests").asLong()).isZero();
      long delivered = STUDENTS * (manifestBytes + book.assetBytes() + (1 + PDF_PAGES) * PDF_RANGE);
      assertThat(round.path("deliveredBytes").asLong()).isEqualTo(delivered);
      assertThat(round.path("bookOpen").path("opened").asInt()).isEqualTo(STUDENTS);
      assertThat(round.path("students")).hasSize(STUDENTS).allSatisfy(student -> assertThat(
          student.path("connections").asInt()).as("a browser's connections").isBetween(1, 6));
      // The target is the origin: every request and byte crossed the "uplink".
      assertThat(round.path("uplink").path("requests").asLong()).isEqualTo(round.path("requests").asLong());
      assertThat(round.path("uplink").path("bytes").asLong()).isEqualTo(delivered);
    }
    String html = Files.readString(reports.resolve("classroom.html"));
    assertThat(html.split("<svg", -1)).as("two charts per round").hasSize(5);
  }

  @Test
  void classroom_atTheOriginWithoutOriginFlag_uplinkCountedAtTheTarget() throws Exception {
    String url = origin.baseUri().toString();
    Run run = run("classroom", "--target", url, "--students", "1", "--pdf-pages", "1", "--spread", "0s",
        "--report", reports.toString());

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out).contains("uplink: ");
    JsonNode report = new ObjectMapper().readTree(reports.resolve("classroom.json").toFile());
    assertThat(report.path("origin").asText()).isEqualTo(url);
    JsonNode round = report.path("rounds").get(0);
    assertThat(round.path("uplink").path("bytes").asLong()).isEqualTo(round.path("deliveredBytes").asLong());
    assertThat(round.path("uplink").path("requests").asLong()).isEqualTo(round.path("requests").asLong());
  }

  @Test
  void classroom_unreachableTarget_exitsWith1() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = run("classroom", "--target", "http://127.0.0.1:" + port);
    assertThat(run.code).isEqualTo(1);
    assertThat(run.err).startsWith("classroom: cannot reach --target");
  }

  @Test
  void classroom_unknownBook_exitsWith2NamingTheFlag() {
    Run run = run("classroom", "--target", origin.baseUri().toString(), "--book", "latin-2nde");
    assertThat(run.code).isEqualTo(2);
    assertThat(run.err.lines()).singleElement().asString()
        .contains("--book", "latin-2nde", "expected one of: maths-6e");
  }

  @Test
  void classroom_badValues_exitWith2OnOneLineNamingTheFlag() {
    String url = origin.baseUri().toString();
    String[][] cases = {
      {"--students", "0", "an integer from 1"},
      {"--students", "many", "an integer from 1"},
      {"--spread", "1x", "a duration such as"},
      {"--timeout", "0s", "a duration above 0"},
      {"--rounds", "101", "an integer from 1 to 100"},
      {"--seed", "abc", "an integer"},
      {"--target", "ftp://x", "an http:// URL"}};
    for (String[] c : cases) {
      Run run = c[0].equals("--target") ? run("classroom", c[0], c[1]) : run("classroom", "--target", url, c[0], c[1]);
      assertThat(run.code).as(String.join(" ", c)).isEqualTo(2);
      assertThat(run.err.lines()).as(String.join(" ", c)).singleElement().asString()
          .startsWith("classroom: " + c[0] + ": ").contains(c[1], c[2]);
    }
  }

  @Test
  void classroom_missingTarget_exitsWith2() {
    assertThat(run("classroom").code).isEqualTo(2);
  }

  private static long manifestBytes(Book book) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(origin.baseUri() + book.manifestPath())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return response.body().length;
  }

  @Test
  void classroom_flood_requestsDistinctOneOffObjectsBeforeEachLaterRound() throws Exception {
    String url = origin.baseUri().toString();
    Run run = run("classroom", "--target", url, "--origin", url, "--students", "1", "--pdf-pages", "0",
        "--spread", "0s", "--rounds", "3", "--flood", "20", "--flood-size", "16KiB", "--report", reports.toString());

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out).contains("before round 2, flood: 20 one-off objects of 16KiB (20 answered 200, 0 failed)",
        "before round 3, flood: 20 one-off objects of 16KiB (20 answered 200, 0 failed)")
        .doesNotContain("before round 1");
    JsonNode report = new ObjectMapper().readTree(reports.resolve("classroom.json").toFile());
    assertThat(report.path("settings").path("flood").asInt()).isEqualTo(20);
    assertThat(report.path("settings").path("flood-size").asText()).isEqualTo("16KiB");
    // Each flood object once, between the rounds: not in the class's uplink figures.
    JsonNode secondRound = report.path("rounds").get(1);
    assertThat(secondRound.path("uplink").path("requests").asLong()).isEqualTo(secondRound.path("requests").asLong());
  }

  @Test
  void classroom_badFloodFlags_exit2NamingTheFlag() {
    String url = origin.baseUri().toString();
    Run negative = run("classroom", "--target", url, "--flood", "-1");
    Run tooLarge = run("classroom", "--target", url, "--flood", "10", "--flood-size", "2MiB");

    assertThat(negative.code).isEqualTo(2);
    assertThat(negative.err).contains("--flood");
    assertThat(tooLarge.code).isEqualTo(2);
    assertThat(tooLarge.err).contains("--flood-size: \"2MiB\" (expected: a size from 1KiB to 1MiB");
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  record Run(int code, String out, String err) {}
}
