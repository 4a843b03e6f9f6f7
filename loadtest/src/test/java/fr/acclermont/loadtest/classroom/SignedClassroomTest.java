package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.SigningKeyConfig;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.security.SignedUrls;
import fr.acclermont.loadtest.classroom.ClassroomTest.Run;
import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class whose students each hold their own signed links ({@code classroom --sign-key-file}),
 * through a gateway with a signed-url rule on {@code /books/}, on real sockets: the links differ
 * per student, yet find one stored copy (the manifest, each asset and each PDF slice cross the
 * uplink once), and a student without a link gets 403, counted in the report, not a crash.
 */
@Timeout(120)
class SignedClassroomTest {

  private static final String SECRET = "classroom-secret-0123456789abcdef";
  private static final int STUDENTS = 3;
  private static final int PDF_PAGES = 2;
  private static final long SLICE = 1024 * 1024;

  @TempDir
  Path dir;

  @Test
  void signedClass_oneOriginFetchPerObjectAndSlice_studentWithoutLinkGets403() throws Exception {
    Path key = Files.writeString(dir.resolve("k1.key"), SECRET + "\n");
    Path reports = Files.createDirectories(dir.resolve("reports"));
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      // No read-ahead: the PDF's origin requests are then exactly the slices the students read.
      String yaml = """
          server: { host: 127.0.0.1, port: 0 }
          admin: { host: 127.0.0.1, port: 0 }
          access-log: { path: "off" }
          origins:
            - name: cloud
              url: %s
          cache:
            memory: { max-bytes: 256MiB }
            slice-size: 1MiB
            read-ahead-slices: 0
          entitlement:
            rules:
              - paths: ["/books/"]
                mode: signed-url
                keys:
                  - { id: "k1", secret-file: "%s" }
          """.formatted(origin.baseUri(), key);
      try (Gateway gateway = Gateway.start(ConfigLoader.parse(yaml, Map.of()))) {
        Run run = ClassroomTest.run("classroom", "--target", "http://127.0.0.1:" + gateway.port(),
            "--origin", origin.baseUri().toString(), "--students", "" + STUDENTS, "--pdf-pages", "" + PDF_PAGES,
            "--spread", "100ms", "--sign-key-file", key.toString(), "--unsigned-students", "1",
            "--report", reports.toString());
        System.out.println(run.out());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("errors: status 1", "statuses: 200 ", ", 403 1");
        Book book = origin.catalog().books().get(0);
        int assets = book.assets().size();
        JsonNode report = new ObjectMapper().readTree(reports.resolve("classroom.json").toFile());
        assertThat(report.path("settings").path("unsigned-students").asInt()).isEqualTo(1);
        assertThat(report.path("settings").path("sign-prefix").asText()).isEqualTo("/books/");
        JsonNode round = report.path("rounds").get(0);
        JsonNode students = round.path("students");
        for (int signed = 0; signed < STUDENTS - 1; signed++) {
          assertThat(students.get(signed).path("failed").asInt()).isZero();
          assertThat(students.get(signed).path("requests").asInt()).isEqualTo(1 + assets + 1 + PDF_PAGES);
        }
        // The student without a link: its manifest refused, so it asks nothing more (as a browser would).
        JsonNode unsigned = students.get(STUDENTS - 1);
        assertThat(unsigned.path("requests").asInt()).isEqualTo(1);
        assertThat(unsigned.path("failed").asInt()).isEqualTo(1);
        assertThat(unsigned.path("bookOpenMillis").isNull()).isTrue();
        assertThat(round.path("errors").path("status").asLong()).isEqualTo(1);
        JsonNode statuses = round.path("statuses");
        assertThat(statuses.path("403").asLong()).isEqualTo(1);
        assertThat(statuses.path("200").asLong()).isEqualTo((STUDENTS - 1) * (1 + assets));
        assertThat(statuses.path("206").asLong()).isEqualTo((STUDENTS - 1) * (1 + PDF_PAGES));
        assertThat(round.path("bookOpen").path("opened").asInt()).isEqualTo(STUDENTS - 1);
        assertThat(gateway.metrics().registry().get("gateway.entitlement.denied").tag("reason", "missing")
            .counter().count()).isEqualTo(1);

        // Every student's own links found one stored copy: each object crossed the uplink once.
        assertThat(origin.stats().requests(book.manifestPath())).isEqualTo(1);
        book.assets().forEach(asset -> assertThat(origin.stats().requests(asset.path())).as(asset.path()).isEqualTo(1));
        // The PDF: exactly the slices read crossed the uplink, each byte once (the gateway fetches the
        // part of a slice a student waits for first, then the rest: several requests, no byte twice).
        TreeSet<Long> slicesRead = new TreeSet<>();
        slicesRead.add((book.pdfSize() - 1) / SLICE); // the last 64 KiB, where pdf.js looks first
        for (long page = 0; page < PDF_PAGES; page++) {
          slicesRead.add(page * Plans.PDF_RANGE_BYTES / SLICE);
        }
        long sliceBytes = slicesRead.stream().mapToLong(slice -> Math.min(SLICE, book.pdfSize() - slice * SLICE)).sum();
        assertThat(origin.stats().bytes(book.pdfPath())).isEqualTo(sliceBytes);
        assertThat(origin.stats().bytesSentMoreThanOnce(book.pdfPath())).isZero();
        assertThat(round.path("uplink").path("requests").asLong()).as("nothing else fetched")
            .isEqualTo(1 + assets + origin.stats().requests(book.pdfPath()));
      }
    }
  }

  @Test
  void links_ownToEachStudent_acceptedByTheGateway_onlyUnderThePrefix_noneForTheUnsigned() {
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    StudentLinks links = new StudentLinks("", "/books/", "k1", secret, Duration.ofHours(1),
        System.currentTimeMillis() / 1000 + 3600, 1);
    StudentPlan plan = new StudentPlan("book", List.of(new StudentPlan.Batch(List.of(
        RequestSpec.whole(RequestKind.MANIFEST, "/books/b/manifest.json?loadtest=plan", 10, null),
        RequestSpec.range(RequestKind.RANGE, "/books/b/book.pdf", RangeSpec.of(0, 10), 100, null),
        RequestSpec.whole(RequestKind.ASSET, "/blobs/1KiB/x", 1024, null)), true)), 0);
    SignedUrls gateway = new SignedUrls(List.of(new SigningKeyConfig("k1", secret)), Duration.ZERO,
        Clock.systemUTC());

    List<String> first = targets(links.plan(plan, 1, 3));
    List<String> second = targets(links.plan(plan, 2, 3));

    assertThat(first.get(0)).startsWith("/books/b/manifest.json?loadtest=plan&exp=")
        .contains("&grp=student-1&kid=k1&sig=");
    assertThat(first.get(1)).startsWith("/books/b/book.pdf?exp=");
    assertThat(first.subList(0, 2)).allSatisfy(target -> assertThat(gateway.check(target)).as(target).isNull());
    assertThat(second.get(1)).isNotEqualTo(first.get(1)).contains("grp=student-2");
    assertThat(gateway.check(second.get(1))).isNull();
    assertThat(first.get(2)).isEqualTo("/blobs/1KiB/x");
    assertThat(links.plan(plan, 3, 3)).isSameAs(plan);
    // Behind a base path, the gateway sees (and checks) the path with it.
    StudentLinks based = new StudentLinks("/school", "/school/books/", "k1", secret, Duration.ofHours(1),
        System.currentTimeMillis() / 1000 + 3600, 0);
    String target = based.sign("/books/b/book.pdf", "student-1");
    assertThat(gateway.check("/school" + target)).isNull();
  }

  @Test
  void badSigningFlags_exitWith2OnOneLineNamingTheFlag_neverTheSecret() throws Exception {
    Path key = Files.writeString(dir.resolve("k1.key"), SECRET);
    Path empty = Files.writeString(dir.resolve("empty.key"), " \n");
    String[][] cases = {
      {"--sign-key-file", dir.resolve("none.key").toString(), "a readable UTF-8 file"},
      {"--sign-key-file", empty.toString(), "a readable UTF-8 file"},
      {"--sign-key-id", "k 1", "1 to 64 letters"},
      {"--sign-prefix", "books/", "a path prefix such as /books/"},
      {"--sign-ttl", "0s", "a duration above 0"},
      {"--unsigned-students", "4", "an integer from 0 to 3"}};
    for (String[] c : cases) {
      List<String> args = new java.util.ArrayList<>(List.of("classroom", "--target", "http://127.0.0.1:1",
          "--students", "3", c[0], c[1]));
      if (!c[0].equals("--sign-key-file")) {
        args.addAll(List.of("--sign-key-file", key.toString()));
      }
      Run run = ClassroomTest.run(args.toArray(String[]::new));
      assertThat(run.code()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(run.err().lines()).as(String.join(" ", c)).singleElement().asString()
          .startsWith("classroom: " + c[0] + ": ").contains(c[1], c[2]).doesNotContain(SECRET);
    }
    Run withoutKey = ClassroomTest.run("classroom", "--target", "http://127.0.0.1:1", "--unsigned-students", "1");
    assertThat(withoutKey.code()).isEqualTo(2);
    assertThat(withoutKey.err()).contains("--unsigned-students: \"1\" (expected: 0 without --sign-key-file");
  }

  private static List<String> targets(StudentPlan plan) {
    return plan.batches().get(0).requests().stream().map(RequestSpec::target).toList();
  }
}
