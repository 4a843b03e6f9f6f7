package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestPki;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener: a miss then a hit through the JDK's HttpClient, TLS 1.1 refused, plain HTTP
 * on the TLS port closed and counted, disk hits after a restart (zero-copy off) with the right
 * bytes, and the plain listener's 308 to HTTPS.
 */
class TlsEdgeTest {

  private static DemoOrigin origin;

  @TempDir
  Path dir;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  private Gateway start(String extra) throws Exception {
    TlsEdgeFixture.writePair(dir, TestPki.LOOPBACK);
    return TlsEdgeFixture.start(origin.baseUri(), TlsEdgeFixture.tlsYaml(dir, "") + extra);
  }

  private static HttpResponse<byte[]> get(HttpClient client, Gateway gateway, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.tlsPort() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static double handshakes(Gateway gateway, String outcome) {
    return gateway.metrics().registry().get("gateway.client.tls.handshakes").tag("outcome", outcome).counter().count();
  }

  @Test
  void https_missThenHit_originBytesAndOneOriginRequest() throws Exception {
    String path = "/blobs/3MiB/over-https";
    try (Gateway gateway = start("")) {
      HttpClient client = HttpClient.newBuilder().sslContext(TlsEdgeFixture.trustingTestCa()).build();

      HttpResponse<byte[]> miss = get(client, gateway, path);
      long originRequests = origin.stats().requests(path);
      HttpResponse<byte[]> hit = get(client, gateway, path);

      assertThat(miss.statusCode()).isEqualTo(200);
      assertThat(sha256(miss.body())).isEqualTo(ExpectedContent.sha256(path, 3 << 20));
      assertThat(sha256(hit.body())).isEqualTo(ExpectedContent.sha256(path, 3 << 20));
      assertThat(hit.headers().firstValue("Cache-Status")).hasValueSatisfying(v -> assertThat(v).startsWith("edge; hit"));
      assertThat(originRequests).as("one origin request per 1 MiB slice").isEqualTo(3);
      assertThat(origin.stats().requests(path)).as("none for the hit").isEqualTo(3);
      assertThat(handshakes(gateway, "ok")).isGreaterThanOrEqualTo(1);
      assertThat(handshakes(gateway, "failed")).isZero();
      assertThat(gateway.port()).as("the plain listener stays").isPositive();
    }
  }

  @Test
  void https_tls11_refused() throws Exception {
    try (Gateway gateway = start("")) {
      assertThatThrownBy(() -> TlsEdgeFixture.connect(gateway.tlsPort(), "TLSv1.1").close())
          .isInstanceOf(SSLException.class);
      try (Socket ok = TlsEdgeFixture.connect(gateway.tlsPort(), "TLSv1.2")) {
        assertThat(((javax.net.ssl.SSLSocket) ok).getSession().getProtocol()).isEqualTo("TLSv1.2");
      }
    }
  }

  @Test
  void plainHttpOnTlsPort_closedAndCountedAsFailed() throws Exception {
    try (Gateway gateway = start("")) {
      try (Socket socket = new Socket("127.0.0.1", gateway.tlsPort())) {
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write("GET /blobs/1KiB/x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        byte[] got = in.readAllBytes(); // until the gateway closes
        assertThat(new String(got, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1 200");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> handshakes(gateway, "failed") == 1);
      assertThat(handshakes(gateway, "ok")).isZero();
      assertThat(origin.stats().requests("/blobs/1KiB/x")).isZero();
    }
  }

  @Test
  void diskHitsAfterRestart_overHttps_exactBytesWithoutTheOrigin() throws Exception {
    String path = "/blobs/4MiB/https-after-restart";
    String expected = ExpectedContent.sha256(path, 4 << 20);
    Path disk = Files.createDirectories(dir.resolve("disk"));
    // A memory tier smaller than the object: slices verified since start-up would go out as
    // FileRegions on a plain connection; under TLS they must go through memory.
    String yaml = "cache: { memory: { max-bytes: 2MiB, max-object-bytes: 1MiB }, disk: { path: \"" + disk + "\" } }\n";
    try (Gateway first = start(yaml)) {
      try (TestHttpClient client = TestHttpClient.connect(first.port())) {
        assertThat(client.get(path).readDigestOnly().sha256()).isEqualTo(expected);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sliceFiles(disk) == 4);
    }
    long originRequests = origin.stats().requests(path);
    try (Gateway second = start(yaml)) {
      HttpClient client = HttpClient.newBuilder().sslContext(TlsEdgeFixture.trustingTestCa()).build();
      for (int round = 0; round < 3; round++) {
        HttpResponse<byte[]> again = get(client, second, path);
        assertThat(sha256(again.body())).isEqualTo(expected);
        assertThat(again.headers().firstValue("Cache-Status")).hasValueSatisfying(v -> assertThat(v).startsWith("edge; hit"));
      }
      assertThat(origin.stats().requests(path)).isEqualTo(originRequests);
    }
  }

  private static long sliceFiles(Path disk) throws Exception {
    try (Stream<Path> walk = Files.walk(disk)) {
      return walk.filter(p -> p.toString().endsWith(".slice")).count();
    }
  }

  @Test
  void redirectToHttps_get_308ToTheSamePathOnTheTlsPort_originNotAsked() throws Exception {
    TlsEdgeFixture.writePair(dir, TestPki.LOOPBACK);
    String yaml = TlsEdgeFixture.tlsYaml(dir, "").replace("server: {", "server: { redirect-to-https: true,");
    try (Gateway gateway = TlsEdgeFixture.start(origin.baseUri(), yaml)) {
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        TestHttpClient.Response redirected = client.get("/books/b1/index.html?x=1").read(); // Host: test
        assertThat(redirected.status()).isEqualTo(308);
        assertThat(redirected.header("Location"))
            .isEqualTo("https://test:" + gateway.tlsPort() + "/books/b1/index.html?x=1");
      }
      assertThat(origin.stats().requests("/books/b1/index.html")).isZero();
    }
  }

  @Test
  void zeroCopy_offUnderTls_onOnAPlainChannel() {
    EmbeddedChannel plain = new EmbeddedChannel();
    EmbeddedChannel tls = new EmbeddedChannel(TestPki.server(TestPki.LOOPBACK).newHandler(plain.alloc()));

    assertThat(ClientRequest.zeroCopy(plain)).isTrue();
    assertThat(ClientRequest.zeroCopy(tls)).isFalse();
    plain.finishAndReleaseAll();
    tls.finishAndReleaseAll();
  }

  @Test
  void plainPortOff_onlyHttpsListens() throws Exception {
    String path = "/blobs/64KiB/https-only";
    TlsEdgeFixture.writePair(dir, TestPki.LOOPBACK);
    String yaml = TlsEdgeFixture.tlsYaml(dir, "").replace("server: {", "server: { port: off,");
    try (Gateway gateway = TlsEdgeFixture.start(origin.baseUri(), yaml)) {
      HttpClient client = HttpClient.newBuilder().sslContext(TlsEdgeFixture.trustingTestCa()).build();

      assertThat(gateway.port()).isEqualTo(-1);
      assertThat(sha256(get(client, gateway, path).body())).isEqualTo(ExpectedContent.sha256(path, 64 << 10));
    }
  }
}
