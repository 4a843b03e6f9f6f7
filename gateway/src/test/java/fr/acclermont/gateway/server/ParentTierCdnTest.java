package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.Asset;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.CdnTls;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.demo.OriginProfile;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The académie tier in front of an origin that behaves like a publisher's CDN (the demo's
 * {@code cdn} profile): HTTPS with its own CA, br/gzip text with {@code Vary: Accept-Encoding}.
 * Two schools reach it through one tier gateway (plain HTTP inside the académie): each variant is
 * the origin's bytes with the origin's {@code Content-Encoding}, its body fetched from the origin
 * once for both schools, the second school's answered from the tier's copy (a hit, or for the
 * book's page, which the CDN says to revalidate, a 304 from the origin).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParentTierCdnTest {

  /** What a browser sends, what a bare client sends (the identity variant), and gzip alone. */
  private static final List<String> ENCODINGS = List.of("gzip, deflate, br", "", "gzip");

  private static DemoOrigin cdn;
  private static Gateway academie;
  private static final List<Gateway> schools = new ArrayList<>();
  private static HttpClient direct;

  @BeforeAll
  static void start() throws Exception {
    cdn = DemoOrigin.start(DemoOriginOptions.builder().profile(OriginProfile.CDN).build());
    Path ca = cdn.caFile().orElseThrow();
    direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(CdnTls.trusting(ca)).build();
    academie = TestGateways.start(cdn.baseUri(), ca, """
        server: { via: academie-tier }
        cache: { name: academie }
        """, Clock.systemUTC());
    for (String name : List.of("school-a", "school-b")) {
      schools.add(TestGateways.start(cdn.baseUri(), ca, """
          server: { via: %1$s }
          cache: { name: %1$s }
          origins:
            - name: cloud
              url: %2$s
              tls: { ca-file: "%3$s" }
              parents: ["http://127.0.0.1:%4$d"]
              paths: ["/"]
              connect-timeout: 2s
              response-timeout: 5s
              idle-timeout: 5s
          """.formatted(name, cdn.baseUri(), ca, academie.port()), Clock.systemUTC()));
    }
  }

  @AfterAll
  static void stop() {
    schools.forEach(Gateway::close);
    academie.close();
    cdn.close();
  }

  @Test
  void textVariantsThroughTheTier_originsBytesAndCoding_eachVariantsBodyFetchedOnceForBothSchools() throws Exception {
    Book book = cdn.catalog().books().get(0);
    List<String> paths = List.of(book.indexPath(), book.manifestPath(),
        book.assets().stream().map(Asset::path).filter(p -> p.endsWith(".css")).findFirst().orElseThrow(),
        book.assets().stream().map(Asset::path).filter(p -> p.endsWith(".js")).findFirst().orElseThrow());
    for (String path : paths) {
      long before = cdn.stats().bytes(path);
      long directBytes = 0;
      Map<String, Long> variantBytes = new LinkedHashMap<>();
      List<String> codings = new ArrayList<>();
      for (String encoding : ENCODINGS) {
        HttpResponse<byte[]> origin = direct.send(originRequest(path, encoding), HttpResponse.BodyHandlers.ofByteArray());
        String coding = origin.headers().firstValue("content-encoding").orElse("identity");
        codings.add(coding);
        directBytes += origin.body().length;
        variantBytes.put(coding, (long) origin.body().length);
        for (int school = 0; school < schools.size(); school++) {
          Response r = get(schools.get(school), path, encoding);
          assertThat(r.status()).as("%s %s", path, encoding).isEqualTo(200);
          assertThat(r.sha256()).as("the origin's bytes: %s, Accept-Encoding %s", path, encoding)
              .isEqualTo(TestHttpClient.sha256(origin.body()));
          assertThat(r.header("Content-Encoding")).as(path).isEqualTo(coding.equals("identity") ? null : coding);
          assertThat(r.header("Vary")).as(path).containsIgnoringCase("accept-encoding");
          if (school == 1 && !codings.subList(0, codings.size() - 1).contains(coding)) {
            assertThat(r.header("Cache-Status")).as("the second school: the tier's copy, %s %s", path, encoding)
                .matches("academie; (hit|fwd=stale; fwd-status=304).*, school-b; fwd=miss.*");
          }
        }
      }
      assertThat(variantBytes).as("the CDN sends several codings of %s", path).hasSizeGreaterThan(1);
      // The direct fetches above are the origin's bytes too; the tree's are one body per variant.
      long tree = variantBytes.values().stream().mapToLong(Long::longValue).sum();
      long expected = before + directBytes + tree;
      // (counted as the origin's writes complete, which may trail the last read by an instant)
      await().atMost(Duration.ofSeconds(10)).until(() -> cdn.stats().bytes(path) >= expected);
      assertThat(cdn.stats().bytes(path)).as("origin bytes of %s: each variant's body once for the tree (%s)",
          path, variantBytes).isEqualTo(expected);
    }
  }

  private static HttpRequest originRequest(String path, String encoding) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cdn.baseUri() + path));
    if (!encoding.isEmpty()) {
      request.header("Accept-Encoding", encoding);
    }
    return request.build();
  }

  private static Response get(Gateway gateway, String path, String encoding) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return encoding.isEmpty() ? client.get(path).read() : client.get(path, "Accept-Encoding: " + encoding).read();
    }
  }
}
