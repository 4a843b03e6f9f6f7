package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.OriginProfile;
import fr.acclermont.loadtest.classroom.ClassroomTest.Run;
import fr.acclermont.loadtest.origin.OriginSettings;
import fr.acclermont.loadtest.origin.OriginSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class opening a cold book through the gateway, in front of the plain origin and in front of the
 * CDN-profile origin (HTTPS, br/gzip with {@code Vary: Accept-Encoding}, a publisher's
 * {@code Cache-Control}): in front of the CDN, every asset variant still crosses the uplink once,
 * so the class costs the origin no more requests and no more bytes than in front of the plain one.
 */
@Timeout(180)
class ClassroomThroughGatewayTest {

  private static final int STUDENTS = 35;

  @TempDir
  Path dir;

  /**
   * What one cold class cost the origin, and what the students saw.
   *
   * @param originRequests the requests the origin received, but for the book's page and manifest:
   *     the CDN sends those {@code no-cache}, so each use is revalidated (a 304, coalesced among
   *     the students who ask at once), which the plain origin's {@code max-age} spares
   */
  private record Cold(long originRequests, long uplinkBytes, long failed, long assetsOk, Book book,
      Map<String, Long> requestsPerAsset) {
  }

  private Cold coldClass(OriginProfile profile) throws Exception {
    Path ca = dir.resolve(profile.name() + "-ca.pem");
    OriginSettings.Builder settings = OriginSettings.builder().profile(profile);
    if (profile.tls()) {
      settings.caFile(ca);
    }
    try (OriginSimulator origin = OriginSimulator.start(settings.build())) {
      String tls = profile.tls() ? "\n    tls: { ca-file: '" + ca + "' }" : "";
      String yaml = """
          server: { host: 127.0.0.1, port: 0 }
          admin: { host: 127.0.0.1, port: 0 }
          origins:
            - name: cloud
              url: %s%s
          cache:
            memory: { max-bytes: 256MiB }
          """.formatted(origin.baseUri(), tls);
      try (Gateway gateway = Gateway.start(ConfigLoader.parse(yaml, Map.of()))) {
        Path reports = Files.createDirectories(dir.resolve(profile.name()));
        List<String> args = new ArrayList<>(List.of("classroom", "--target", "http://127.0.0.1:" + gateway.port(),
            "--origin", origin.baseUri().toString(), "--students", "" + STUDENTS, "--pdf-pages", "2",
            "--report", reports.toString()));
        if (profile.tls()) {
          args.addAll(List.of("--origin-ca", ca.toString())); // the uplink meter reads the origin's stats over TLS
        }
        Run run = ClassroomTest.run(args.toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode round = new ObjectMapper().readTree(reports.resolve("classroom.json").toFile()).path("rounds").get(0);
        Book book = origin.catalog().books().get(0);
        Map<String, Long> perAsset = new java.util.TreeMap<>();
        book.assets().forEach(asset -> perAsset.put(asset.path(), origin.stats().requests(asset.path())));
        long documents = origin.stats().requests(book.indexPath()) + origin.stats().requests(book.manifestPath());
        return new Cold(round.path("uplink").path("requests").asLong() - documents, round.path("uplink").path("bytes").asLong(),
            round.path("failed").asLong(), round.path("kinds").path("asset").path("ok").asLong(), book, perAsset);
      }
    }
  }

  @Test
  void coldClass_cdnOrigin_eachAssetVariantFetchedOnce_noMoreThanThePlainOrigin() throws Exception {
    Cold plain = coldClass(OriginProfile.PLAIN);
    Cold cdn = coldClass(OriginProfile.CDN);

    for (Cold cold : new Cold[] {plain, cdn}) {
      assertThat(cold.failed()).isZero();
      assertThat(cold.assetsOk()).isEqualTo((long) STUDENTS * cold.book().assets().size());
      // The whole class sends one Accept-Encoding: one variant of each asset, fetched once.
      assertThat(cold.requestsPerAsset()).allSatisfy((path, requests) -> assertThat(requests).as(path).isEqualTo(1));
    }
    assertThat(cdn.originRequests()).isLessThanOrEqualTo(plain.originRequests());
    assertThat(cdn.uplinkBytes()).isLessThanOrEqualTo(plain.uplinkBytes());
  }
}
