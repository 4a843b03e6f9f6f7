package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.OriginProfile;
import fr.acclermont.loadtest.classroom.ClassroomTest.Run;
import fr.acclermont.loadtest.client.ClientOptions;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.origin.Bandwidth;
import fr.acclermont.loadtest.origin.OriginSettings;
import fr.acclermont.loadtest.origin.OriginSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tools against the CDN-profile origin directly, over HTTPS: the classroom completes with
 * every check true on gzip/br bodies, and the uplink meter reads the origin's stats over TLS.
 */
@Timeout(120)
class CdnClassroomTest {

  private static final int STUDENTS = 2;

  @TempDir
  static Path dir;

  private static OriginSimulator origin;
  private static Path ca;

  @BeforeAll
  static void start() {
    ca = dir.resolve("origin-ca.pem");
    // A shaped uplink too: the TLS handshake and records go through the shaper.
    origin = OriginSimulator.start(OriginSettings.builder().profile(OriginProfile.CDN).caFile(ca)
        .bandwidth(Bandwidth.ofBitsPerSecond(1_000_000_000L)).build());
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @Test
  void classroom_httpsTargetWithTheCa_completesWithNoFailedCheck() throws Exception {
    String url = origin.baseUri().toString();
    Path reports = Files.createDirectories(dir.resolve("reports"));
    Run run = ClassroomTest.run("classroom", "--target", url, "--origin", url, "--origin-ca", ca.toString(),
        "--students", "" + STUDENTS, "--pdf-pages", "2", "--spread", "0s", "--report", reports.toString());

    assertThat(url).startsWith("https://");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("errors: none", "uplink: ");
    JsonNode round = new ObjectMapper().readTree(reports.resolve("classroom.json").toFile()).path("rounds").get(0);
    assertThat(round.path("failed").asLong()).isZero();
    Book book = origin.catalog().books().get(0);
    assertThat(round.path("kinds").path("asset").path("ok").asLong()).isEqualTo(STUDENTS * book.assets().size());
    // The uplink counts the encoded bytes the students received (over TLS), fewer than the
    // identity bytes: the text was compressed.
    long delivered = round.path("deliveredBytes").asLong();
    assertThat(round.path("uplink").path("bytes").asLong()).isEqualTo(delivered);
    assertThat(delivered).isLessThan(STUDENTS * book.assetBytes());
  }

  @Test
  void classroom_httpsTargetWithoutItsCa_refusedNotSilentlyTrusted() {
    Run run = ClassroomTest.run("classroom", "--target", origin.baseUri().toString(), "--students", "1");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("classroom: cannot reach --target " + origin.baseUri());
  }

  @Test
  void originCa_notAFile_exitsWith2NamingTheFlag() {
    Run run = ClassroomTest.run("classroom", "--target", origin.baseUri().toString(),
        "--origin-ca", dir.resolve("missing.pem").toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("classroom: --origin-ca: ");
  }

  @Test
  void uplinkMeter_httpsOrigin_resetsAndReadsTheStatsOverTls() throws Exception {
    Target https = Target.parse(origin.baseUri().toString()).trusting(ca);
    try (LoadClient client = LoadClient.start(https, ClientOptions.defaults())) {
      UplinkMeter meter = UplinkMeter.of(client, https);

      meter.reset();
      assertThat(meter.read().requests()).isZero();
      assertThat(meter.origin().https()).isTrue();
    }
  }
}
