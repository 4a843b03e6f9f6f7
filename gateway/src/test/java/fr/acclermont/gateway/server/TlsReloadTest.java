package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestPki;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate and key are reloaded when their files change: a connection open before keeps
 * working, a new one is shown the new certificate; a bad new pair leaves the old one in place.
 */
class TlsReloadTest {

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

  private Gateway start() throws Exception {
    TlsEdgeFixture.writePair(dir, TestPki.LOOPBACK);
    return TlsEdgeFixture.start(origin.baseUri(), TlsEdgeFixture.tlsYaml(dir, ", reload-interval: 50ms"));
  }

  private static Certificate peer(Gateway gateway) throws Exception {
    try (SSLSocket socket = TlsEdgeFixture.connect(gateway.tlsPort())) {
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void swap_openConnectionKeepsWorking_newConnectionSeesTheNewCertificate() throws Exception {
    String path = "/blobs/64KiB/reload";
    try (Gateway gateway = start();
        TestHttpClient open = TestHttpClient.over(TlsEdgeFixture.connect(gateway.tlsPort()))) {
      assertThat(open.get(path).readDigestOnly().sha256()).isEqualTo(ExpectedContent.sha256(path, 64 << 10));
      assertThat(peer(gateway)).isEqualTo(TestPki.LOOPBACK.getCertificate());

      TlsEdgeFixture.writePair(dir, TestPki.OTHER_HOST);
      await().atMost(Duration.ofSeconds(10)).until(() -> TestPki.OTHER_HOST.getCertificate().equals(peer(gateway)));

      assertThat(open.get(path).readDigestOnly().sha256()).as("the keep-alive connection opened before")
          .isEqualTo(ExpectedContent.sha256(path, 64 << 10));
      assertThat(gateway.tlsCertificate()).isEqualTo(TestPki.OTHER_HOST.getCertificate());
    }
  }

  @Test
  void badNewPair_keyOfAnotherCertificate_oldPairStays() throws Exception {
    try (Gateway gateway = start()) {
      TlsEdgeFixture.write(dir.resolve("privkey.pem"), TestPki.UNTRUSTED.getPrivateKeyPEM());
      gateway.reloadTls();

      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
          .until(() -> TestPki.LOOPBACK.getCertificate().equals(peer(gateway)));

      // The right key afterwards: taken, so the refusal did not stop the checks.
      TlsEdgeFixture.writePair(dir, TestPki.OTHER_HOST);
      await().atMost(Duration.ofSeconds(10)).until(() -> TestPki.OTHER_HOST.getCertificate().equals(peer(gateway)));
    }
  }

  @Test
  void expiredNewPair_refused_oldPairStays() throws Exception {
    try (Gateway gateway = start()) {
      TlsEdgeFixture.writePair(dir, TestPki.EXPIRED);
      gateway.reloadTls();

      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
          .until(() -> TestPki.LOOPBACK.getCertificate().equals(gateway.tlsCertificate()));
    }
  }
}
