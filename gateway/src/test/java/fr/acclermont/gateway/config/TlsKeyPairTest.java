package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsKeyPair}: the three PEM key forms (PKCS#8, PKCS#1 RSA, SEC1 EC), a key that is not the
 * certificate's, an encrypted key, and validity.
 */
class TlsKeyPairTest {

  @TempDir
  Path dir;

  private Path resource(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = TlsKeyPairTest.class.getResourceAsStream("/tls/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }

  @Test
  void read_pkcs8Ec_chainAndKey() throws IOException {
    TlsKeyPair pair = TlsKeyPair.read(write("c.pem", TestPki.LOOPBACK.getCertificatePathPEM()),
        write("k.pem", TestPki.LOOPBACK.getPrivateKeyPEM()));

    assertThat(pair.chain()).containsExactly(TestPki.LOOPBACK.getCertificatePath());
    assertThat(pair.key().getAlgorithm()).isEqualTo("EC");
    assertThat(pair.validity(new Date())).isEmpty();
  }

  @Test
  void read_pkcs1Rsa_read() throws IOException {
    TlsKeyPair pair = TlsKeyPair.read(resource("rsa.crt"), resource("rsa-pkcs1.key"));

    assertThat(pair.key().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void read_sec1Ec_read() throws IOException {
    TlsKeyPair pair = TlsKeyPair.read(resource("ec.crt"), resource("ec-sec1.key"));

    assertThat(pair.key().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void read_rsaKeyForEcCertificate_refusedAsTheKey() throws IOException {
    Path cert = resource("ec.crt");
    Path key = resource("rsa-pkcs1.key");

    assertThatThrownBy(() -> TlsKeyPair.read(cert, key))
        .isInstanceOfSatisfying(TlsKeyPair.Unusable.class, e -> assertThat(e.part()).isEqualTo(TlsKeyPair.Part.KEY))
        .hasMessage("the key is not the one of the certificate CN=localhost");
  }

  @Test
  void read_encryptedKey_refusedSayingHowToDecrypt() throws IOException {
    Path cert = resource("ec.crt");
    Path key = write("enc.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

    assertThatThrownBy(() -> TlsKeyPair.read(cert, key))
        .isInstanceOf(TlsKeyPair.Unusable.class)
        .hasMessageStartingWith("the key is encrypted");
  }

  @Test
  void validity_expired_saysSo() throws IOException {
    TlsKeyPair pair = TlsKeyPair.read(write("c.pem", TestPki.EXPIRED.getCertificatePathPEM()),
        write("k.pem", TestPki.EXPIRED.getPrivateKeyPEM()));

    assertThat(pair.validity(new Date())).startsWith("the certificate expired on ");
  }
}
