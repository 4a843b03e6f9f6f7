package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.tls} (the HTTPS listener: port, PEM certificate chain and key, read at start-up so
 * that a bad file stops it naming the key) and {@code server.redirect-to-https}.
 */
class ConfigServerTlsTest {

  @TempDir
  Path dir;

  private Path cert;
  private Path key;

  private void writePair() throws IOException {
    cert = write("fullchain.pem", TestPki.LOOPBACK.getCertificatePathPEM());
    key = write("privkey.pem", TestPki.LOOPBACK.getPrivateKeyPEM());
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }

  private String server(String tls) {
    return "server:\n  port: 8080\n" + tls + ORIGINS;
  }

  private String tls(Object port, Path certFile, Path keyFile, String more) {
    return "  tls:\n    port: " + port + "\n    cert-file: \"" + certFile + "\"\n    key-file: \"" + keyFile
        + "\"\n" + more;
  }

  @Test
  void parse_noTls_offAndNoRedirect() {
    ServerConfig server = parse(ORIGINS).server();

    assertThat(server.tls()).isNull();
    assertThat(server.redirectToHttps()).isFalse();
    assertThat(server.port()).isEqualTo(8080);
  }

  @Test
  void parse_tls_readsThePairAndTheDefaults() throws IOException {
    writePair();

    ServerConfig server = parse(server(tls(8443, cert, key, ""))).server();

    ServerTlsConfig tls = server.tls();
    assertThat(tls).isNotNull();
    assertThat(tls.port()).isEqualTo(8443);
    assertThat(tls.certFile()).isEqualTo(cert);
    assertThat(tls.keyFile()).isEqualTo(key);
    assertThat(tls.reloadInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(tls.pair().chain()).containsExactly(TestPki.LOOPBACK.getCertificatePath());
    assertThat(server.redirectToHttps()).isFalse();
    assertThat(server.port()).isEqualTo(8080);
  }

  @Test
  void parse_redirectAndReloadInterval_kept() throws IOException {
    writePair();

    ServerConfig server = parse(server("  redirect-to-https: true\n" + tls(0, cert, key, "    reload-interval: 2s\n")))
        .server();

    assertThat(server.redirectToHttps()).isTrue();
    assertThat(server.tls().reloadInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void parse_redirectWithoutTls_failsNamingKey() {
    assertThatThrownBy(() -> parse(server("  redirect-to-https: true\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.redirect-to-https: true (expected false without server.tls.port: there is no HTTPS"
            + " listener to redirect to)");
  }

  @Test
  void parse_certFileMissing_failsNamingKey() throws IOException {
    writePair();
    Path missing = dir.resolve("none.pem");

    assertThatThrownBy(() -> parse(server(tls(8443, missing, key, ""))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls.cert-file: \"" + missing + "\" (expected the path of a PEM certificate")
        .hasMessageEndingWith("; no such file)");
  }

  @Test
  void parse_keyFileNotPem_failsNamingKey() throws IOException {
    writePair();
    Path garbage = write("garbage.pem", "not a key\n");

    assertThatThrownBy(() -> parse(server(tls(8443, cert, garbage, ""))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls.key-file: \"" + garbage + "\" (expected the path of the certificate's")
        .hasMessageEndingWith("; no -----BEGIN PRIVATE KEY----- block in it)");
  }

  @Test
  void parse_certFileDamaged_failsNamingKey() throws IOException {
    writePair();
    Path damaged = write("damaged.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> parse(server(tls(8443, damaged, key, ""))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls.cert-file: \"" + damaged + "\"")
        .hasMessageContaining("certificate 1 does not parse");
  }

  @Test
  void parse_keyOfAnotherCertificate_failsNamingKeyFile() throws IOException {
    writePair();
    Path otherKey = write("other.pem", TestPki.UNTRUSTED.getPrivateKeyPEM());

    assertThatThrownBy(() -> parse(server(tls(8443, cert, otherKey, ""))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls.key-file: \"" + otherKey + "\"")
        .hasMessageEndingWith("; the key is not the one of the certificate CN=localhost)");
  }

  @Test
  void parse_tlsWithoutPort_failsNamingKey() throws IOException {
    writePair();

    assertThatThrownBy(() -> parse(server("  tls:\n    cert-file: \"" + cert + "\"\n    key-file: \"" + key + "\"\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls.port: required when server.tls is set");
  }

  @Test
  void parse_tlsWithoutKeyFile_failsNamingKey() throws IOException {
    writePair();

    assertThatThrownBy(() -> parse(server("  tls:\n    port: 8443\n    cert-file: \"" + cert + "\"\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls.key-file: required when server.tls is set");
  }

  @Test
  void parse_tlsPortSameAsPlainPort_failsNamingKey() throws IOException {
    writePair();

    assertThatThrownBy(() -> parse(server(tls(8080, cert, key, ""))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.tls.port: 8080 (expected a port other than server.port, 8080)");
  }

  @Test
  void parse_tlsUnknownKey_failsNamingKey() throws IOException {
    writePair();

    assertThatThrownBy(() -> parse(server(tls(8443, cert, key, "    password: x\n"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls.password:");
  }

  @Test
  void parse_adminPortSameAsTlsPort_failsNamingKey() throws IOException {
    writePair();

    assertThatThrownBy(() -> parse(server(tls(8443, cert, key, "")) + "admin: { port: 8443 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("admin.port: 8443 (expected a port other than server.tls.port, 8443");
  }

  @Test
  void parse_portOffWithTls_noPlainListener() throws IOException {
    writePair();

    ServerConfig server = parse("server:\n  port: off\n" + tls(8443, cert, key, "") + ORIGINS).server();

    assertThat(server.port()).isEqualTo(ServerConfig.OFF);
    assertThat(server.tls().port()).isEqualTo(8443);
  }

  @Test
  void parse_portOffWithoutTls_failsNamingKey() {
    assertThatThrownBy(() -> parse("server:\n  port: \"off\"\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.port: \"off\" (expected a port while server.tls is not set: off would leave no listener)");
  }
}
