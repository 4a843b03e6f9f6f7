package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two loads of the same file give equal configurations, section by section, with equal hashes: a
 * reload compares the old and the new configuration with {@code equals} to tell what changed. The
 * file sets every section, with what is read from other files at load (the admin token, an https
 * origin's CA bundle, the server's certificate chain and key, signing secrets). Secrets never show
 * in {@code toString}.
 */
class ConfigEqualityTest {

  private static final String TOKEN = "0123456789abcdef0123";
  private static final String SECRET_A = "0123456789abcdef0123456789abcdef";
  private static final String SECRET_B = "fedcba9876543210fedcba9876543210";

  @TempDir
  Path dir;

  private Path file;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }

  @BeforeEach
  void writeRichFile() throws IOException {
    Path cert = write("fullchain.pem", TestPki.LOOPBACK.getCertificatePathPEM());
    Path key = write("privkey.pem", TestPki.LOOPBACK.getPrivateKeyPEM());
    Path ca = write("ca.pem", TestPki.CA.getCertificatePEM() + TestPki.OTHER_CA.getCertificatePEM());
    Path token = write("admin.token", TOKEN + "\n");
    Path keyA = write("2026-09.key", SECRET_A + "\n");
    Path keyB = write("2027-01.key", SECRET_B + "\n");
    file = write("gateway.yaml", """
        school: lycee-blaise-pascal
        log-level: debug
        server:
          host: 0.0.0.0
          port: 8080
          via: gw-63
          io-threads: 2
          redirect-to-https: true
          tls:
            port: 8443
            cert-file: "%s"
            key-file: "%s"
            reload-interval: 30s
          http2: { enabled: true, max-concurrent-streams: 50 }
        admin:
          host: 127.0.0.1
          port: 9090
          token-file: "%s"
          metrics-require-token: true
        origins:
          - name: cloud
            url: https://cloud.example/textbooks/
            paths: [/books/, /entitlement/]
            connect-timeout: 2s
            tls: { ca-file: "%s" }
          - name: media
            url: http://media.example:8000
            paths: [/video/]
            max-fetches: 8
        cache:
          name: school-cache
          memory: { max-bytes: 256MiB, max-object-bytes: 16MiB }
          disk: { path: "%s", max-bytes: 10GiB }
          slice-size: 2MiB
          overrides:
            - { path: /books/v/, fresh-for: 30d }
            - { path: /books/, offline: true }
        limits: { max-headers: 50 }
        timeouts: { request-header: 5s, request-body-min-rate: 2KiB/s }
        access-log: { path: "%s" }
        entitlement:
          rules:
            - paths: [/books/licensed/]
              mode: signed-url
              clock-skew: 1m
              keys:
                - id: 2026-09
                  secret-file: "%s"
                - id: 2027-01
                  secret-file: "%s"
            - paths: [/books/private/]
              mode: auth-forward
              auth-forward:
                origin: cloud
                path: /entitlement/check
                cookie: session
                cache-for: 2m
        prefetch:
          lists: [/etc/textbook-gateway/prefetch.txt, https://cloud.example/lists/0630001A.txt]
          windows: ["18:00-07:00", "wed 13:00-18:00"]
          max-rate: 20mbit
          time-zone: Europe/Paris
        """.formatted(cert, key, token, ca, dir.resolve("cache"), dir.resolve("access.log"), keyA, keyB));
  }

  private GatewayConfig load() {
    return ConfigLoader.load(file, Map.of());
  }

  @Test
  void load_sameFileTwice_givesEqualConfigs() {
    GatewayConfig first = load();
    GatewayConfig second = load();

    // Section by section first, so that a failure names the record whose equality is wrong.
    assertThat(second.server().tls().pair()).isEqualTo(first.server().tls().pair());
    assertThat(second.server().tls()).isEqualTo(first.server().tls());
    assertThat(second.server()).isEqualTo(first.server());
    assertThat(second.admin()).isEqualTo(first.admin());
    assertThat(second.origins().get(0).tls()).isEqualTo(first.origins().get(0).tls());
    assertThat(second.origins()).isEqualTo(first.origins());
    assertThat(second.cache()).isEqualTo(first.cache());
    assertThat(second.limits()).isEqualTo(first.limits());
    assertThat(second.timeouts()).isEqualTo(first.timeouts());
    assertThat(second.accessLog()).isEqualTo(first.accessLog());
    assertThat(second.entitlement().get(0).keys()).isEqualTo(first.entitlement().get(0).keys());
    assertThat(second.entitlement().get(1).authForward()).isEqualTo(first.entitlement().get(1).authForward());
    assertThat(second.entitlement()).isEqualTo(first.entitlement());
    assertThat(second.prefetch()).isEqualTo(first.prefetch());
    assertThat(second.logLevel()).isEqualTo(LogLevel.DEBUG);
    assertThat(first.equals(second)).isTrue();
    assertThat(second.hashCode()).isEqualTo(first.hashCode());
  }

  @Test
  void load_richFile_readsEverySection() {
    GatewayConfig config = load();

    assertThat(config.server().tls()).isNotNull();
    assertThat(config.admin().token()).isNotNull();
    assertThat(config.origins().get(0).tls().caCertificates()).hasSize(2);
    assertThat(config.cache().disk().enabled()).isTrue();
    assertThat(config.entitlement()).hasSize(2);
    assertThat(config.entitlement().get(0).keys()).hasSize(2);
    assertThat(config.entitlement().get(1).authForward()).isNotNull();
    assertThat(config.prefetch().enabled()).isTrue();
  }

  @Test
  void load_secretChanged_givesUnequalConfigs() throws IOException {
    GatewayConfig first = load();
    write("2027-01.key", SECRET_A + "\n");

    GatewayConfig second = load();

    assertThat(second.entitlement().get(0).keys()).isNotEqualTo(first.entitlement().get(0).keys());
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void load_richFile_showsNoSecret() {
    String text = load().toString();

    assertThat(text).doesNotContain(TOKEN).doesNotContain(SECRET_A).doesNotContain(SECRET_B)
        .contains("2026-09");
  }

  @Test
  void signingKey_equalsByIdAndContent_andHidesSecret() {
    byte[] secret = SECRET_A.getBytes(StandardCharsets.UTF_8);
    SigningKeyConfig key = new SigningKeyConfig("k", secret);

    assertThat(key).isEqualTo(new SigningKeyConfig("k", secret.clone()))
        .hasSameHashCodeAs(new SigningKeyConfig("k", secret.clone()))
        .isNotEqualTo(new SigningKeyConfig("other", secret.clone()))
        .isNotEqualTo(new SigningKeyConfig("k", SECRET_B.getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(new SigningKeyConfig("k", (SECRET_A + "x").getBytes(StandardCharsets.UTF_8)));
    assertThat(key.toString()).doesNotContain(SECRET_A).contains("k");
  }
}
