package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.security.SignedUrls;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import fr.acclermont.gateway.testing.TestPki;
import fr.acclermont.gateway.testing.TestSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content under an entitlement rule is never served without a check: not from the disk tier after
 * a restart while the cloud is unreachable (the copy is there, the link is still checked), and not
 * over HTTP/2, where each stream is checked as a request of its own.
 */
class EntitledDiskAndHttp2Test {

  private static final String SECRET = "this-term-secret-0123456789abcd";
  private static final String PATH = "/blobs/2MiB/licensed-on-disk";

  @TempDir
  Path dir;

  private Gateway start(URI origin) throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    TlsEdgeFixture.writePair(dir.resolve("tls"), TestPki.LOOPBACK);
    return TlsEdgeFixture.start(origin, TlsEdgeFixture.tlsYaml(dir.resolve("tls"), "") + """
        cache: { disk: { path: "%s", max-bytes: 1GiB } }
        entitlement:
          rules:
            - paths: ["/blobs/"]
              mode: signed-url
              keys: [ { id: k1, secret-file: "%s" } ]
        """.formatted(dir.resolve("cache"), TestSecrets.file(SECRET)));
  }

  private static String link(String path) {
    return path + "?" + SignedUrls.sign(path, System.currentTimeMillis() / 1000 + 3600, null, "k1",
        TestSecrets.bytes(SECRET));
  }

  private static Response get(Gateway gateway, String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target).readDigestOnly();
    }
  }

  private long sliceFiles() throws Exception {
    Path slices = dir.resolve("cache").resolve("slices");
    if (!Files.isDirectory(slices)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(slices)) {
      return walk.filter(p -> p.toString().endsWith(".slice")).count();
    }
  }

  @Test
  void afterARestart_offline_diskCopyServedOnlyWithAValidLink() throws Exception {
    String expected = ExpectedContent.sha256(PATH, 2 << 20);
    DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    Gateway first = start(origin.baseUri());
    try {
      assertThat(get(first, link(PATH)).sha256()).isEqualTo(expected);
      await().atMost(Duration.ofSeconds(10)).until(() -> sliceFiles() == 2);
    } finally {
      first.close();
      origin.close(); // the cloud is gone for the rest of the test
    }

    Gateway second = start(origin.baseUri());
    try {
      Response unsigned = get(second, PATH);
      Response tampered = get(second, link("/blobs/2MiB/another-book").replace("another-book", "licensed-on-disk"));
      Response signed = get(second, link(PATH));

      assertThat(unsigned.status()).isEqualTo(403);
      assertThat(tampered.status()).isEqualTo(403);
      assertThat(signed.status()).isEqualTo(200);
      assertThat(signed.sha256()).isEqualTo(expected);
      assertThat(signed.header("Cache-Status")).startsWith("edge; hit").contains("detail=disk");
    } finally {
      second.close();
    }
  }

  @Test
  void http2_eachStreamChecked_deniedStreamDoesNotEndTheConnection() throws Exception {
    DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    Gateway gateway = start(origin.baseUri());
    try {
      HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
          .sslContext(TlsEdgeFixture.trustingTestCa()).connectTimeout(Duration.ofSeconds(5)).build();
      String base = "https://127.0.0.1:" + gateway.tlsPort();
      String path = "/blobs/64KiB/licensed-over-h2";

      HttpResponse<String> denied = h2.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<byte[]> served = h2.send(HttpRequest.newBuilder(URI.create(base + link(path))).build(),
          HttpResponse.BodyHandlers.ofByteArray());

      assertThat(denied.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.body()).contains("not entitled (missing)");
      assertThat(served.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(TestHttpClient.sha256(served.body())).isEqualTo(ExpectedContent.sha256(path, 64 << 10));
      assertThat(gateway.metrics().registry().get("gateway.connections.active").gauge().value()).isEqualTo(1);
    } finally {
      gateway.close();
      origin.close();
    }
  }
}
