package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestPki;
import fr.acclermont.gateway.testing.TestSecrets;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a reload may apply live and what needs a restart ({@link ConfigChanges#between}): configurations
 * parsed from the test template, each variant merging one change over it; every difference is
 * named by its key, in the order the comparison goes through the sections.
 */
class ConfigChangesTest {

  private static final URI ORIGIN = URI.create("http://127.0.0.1:8000");
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";

  @TempDir
  static Path dir;

  private static GatewayConfig config(String extra) {
    return ConfigLoader.parse(TestGateways.yaml(ORIGIN, extra), Map.of());
  }

  private static ConfigChanges changes(String before, String after) {
    return ConfigChanges.between(config(before), config(after));
  }

  @Test
  void between_equalConfigurations_none() {
    ConfigChanges changes = changes("limits: { max-headers: 50 }", "limits: { max-headers: 50 }");

    assertThat(changes.none()).isTrue();
    assertThat(changes.live()).isEmpty();
    assertThat(changes.restartOnly()).isEmpty();
  }

  @Test
  void between_sameTemplate_none() {
    assertThat(changes("", "").none()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      server.port        | server: { port: 8081 }
      server.host        | server: { host: 127.0.0.2 }
      server.via         | server: { via: other-gateway }
      server.io-threads  | server: { io-threads: 3 }
      server.http2       | server: { http2: { enabled: false } }
      admin              | admin: { port: 9191 }
      cache.memory       | cache: { memory: { max-bytes: 128MiB } }
      cache.slice-size   | cache: { slice-size: 2MiB }
      cache.max-variants | cache: { max-variants: 4 }
      cache.min-uses     | cache: { min-uses: 2 }
      cache.name         | cache: { name: school-edge }
      cache.finish-unwatched-fetches | cache: { finish-unwatched-fetches: false }
      school             | school: other-school
      """)
  void between_restartOnlyKeyChanged_reportedByItsNameOnly(String key, String extra) {
    ConfigChanges changes = changes("", extra);

    assertThat(changes.restartOnly()).containsExactly(key);
    assertThat(changes.live()).isEmpty();
    assertThat(changes.none()).isFalse();
  }

  @Test
  void between_diskTurnedOn_restartOnly() {
    ConfigChanges changes = changes("", "cache: { disk: { path: \"" + dir.resolve("disk") + "\", max-bytes: 1GiB } }");

    assertThat(changes.restartOnly()).containsExactly("cache.disk");
    assertThat(changes.live()).isEmpty();
  }

  @Test
  void between_tlsTurnedOn_restartOnly() throws Exception {
    Path tls = pair("on", TestPki.LOOPBACK);

    ConfigChanges changes = changes("", tlsYaml(tls, ""));

    assertThat(changes.restartOnly()).containsExactly("server.tls");
    assertThat(changes.live()).isEmpty();
  }

  @Test
  void between_tlsFilesContentChanged_liveAndNamedSo() throws Exception {
    Path tls = pair("content", TestPki.LOOPBACK);
    GatewayConfig before = config(tlsYaml(tls, ""));
    pair("content", TestPki.OTHER_HOST);
    GatewayConfig after = config(tlsYaml(tls, ""));

    ConfigChanges changes = ConfigChanges.between(before, after);

    assertThat(changes.live()).containsExactly("server.tls (certificate and key files' content)");
    assertThat(changes.restartOnly()).isEmpty();
  }

  @Test
  void between_tlsPortOrIntervalChanged_restartOnlyEachNamed() throws Exception {
    Path tls = pair("keys", TestPki.LOOPBACK);

    ConfigChanges changes = changes(tlsYaml(tls, ""), tlsYaml(tls, 8443, ", reload-interval: 5m"));

    assertThat(changes.restartOnly()).containsExactly("server.tls.port", "server.tls.reload-interval");
    assertThat(changes.live()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"off, file", "file, off", "stdout, file", "off, stdout"})
  void between_accessLogDestinationChanged_restartOnly(String from, String to) {
    ConfigChanges changes = changes(accessLog(from, "access.log"), accessLog(to, "access.log"));

    assertThat(changes.restartOnly()).containsExactly("access-log.path");
    assertThat(changes.live()).isEmpty();
  }

  @Test
  void between_accessLogFileMovedToAnotherFile_live() {
    ConfigChanges changes = changes(accessLog("file", "access.log"), accessLog("file", "moved.log"));

    assertThat(changes.live()).containsExactly("access-log.path");
    assertThat(changes.restartOnly()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      origins                      | origins: [ { name: cloud, url: "http://127.0.0.1:8000", paths: ["/books/"], response-timeout: 9s } ]
      limits                       | limits: { max-request-line: 512 }
      timeouts                     | timeouts: { keep-alive: 30s }
      cache.overrides              | cache: { overrides: [ { path: /books/, fresh-for: 30d } ] }
      cache.heuristic-max-lifetime | cache: { heuristic-max-lifetime: 2h }
      cache.read-ahead-slices      | cache: { read-ahead-slices: 3 }
      cache.max-stale-on-error     | cache: { max-stale-on-error: 1d }
      cache.reload-revalidate-interval | cache: { reload-revalidate-interval: 0s }
      cache.targeted-cache-control | cache: { targeted-cache-control: CDN-Cache-Control }
      log-level                    | log-level: debug
      prefetch                     | prefetch: { lists: ["http://127.0.0.1:8000/lists/0630001A.txt"] }
      """)
  void between_liveKeyChanged_reportedAsLiveNotRestartOnly(String key, String extra) {
    ConfigChanges changes = changes("", extra);

    assertThat(changes.live()).containsExactly(key);
    assertThat(changes.restartOnly()).isEmpty();
  }

  @Test
  void between_entitlementKeyRotated_live() {
    ConfigChanges changes = changes(signedUrl(SECRET), signedUrl(OTHER_SECRET));

    assertThat(changes.live()).containsExactly("entitlement");
    assertThat(changes.restartOnly()).isEmpty();
  }

  @Test
  void between_manyKeysChanged_listedInTheComparisonsOrder() {
    ConfigChanges changes = changes(accessLog("file", "access.log"), """
        school: other-school
        log-level: warn
        server: { port: 8081, host: 127.0.0.2 }
        admin: { port: 9191 }
        origins: [ { name: cloud, url: "http://127.0.0.1:8000", paths: ["/books/"] } ]
        cache: { memory: { max-bytes: 128MiB }, overrides: [ { path: /books/, offline: true } ] }
        limits: { max-headers: 50 }
        timeouts: { request-header: 5s }
        access-log: { path: "%s" }
        prefetch: { lists: ["http://127.0.0.1:8000/lists/0630001A.txt"] }
        """.formatted(dir.resolve("moved.log")) + signedUrl(SECRET));

    assertThat(changes.live()).containsExactly("log-level", "origins", "cache.overrides", "limits", "timeouts",
        "access-log.path", "entitlement", "prefetch");
    assertThat(changes.restartOnly()).containsExactly("school", "server.host", "server.port", "admin",
        "cache.memory");
  }

  @Test
  void between_liveAndRestartOnlyTogether_bothReported() {
    ConfigChanges changes = changes("", "server: { port: 8081 }\nlimits: { max-headers: 50 }");

    assertThat(changes.restartOnly()).containsExactly("server.port");
    assertThat(changes.live()).containsExactly("limits");
  }

  /** Writes {@code leaf}'s chain and key in the directory {@code name} (created). */
  private static Path pair(String name, X509Bundle leaf) throws Exception {
    Path tls = Files.createDirectories(dir.resolve(name));
    Files.writeString(tls.resolve("fullchain.pem"), leaf.getCertificatePathPEM(), StandardCharsets.US_ASCII);
    Files.writeString(tls.resolve("privkey.pem"), leaf.getPrivateKeyPEM(), StandardCharsets.US_ASCII);
    return tls;
  }

  private static String tlsYaml(Path tls, String more) {
    return tlsYaml(tls, 0, more);
  }

  private static String tlsYaml(Path tls, int port, String more) {
    return "server: { tls: { port: " + port + ", cert-file: \"" + tls.resolve("fullchain.pem") + "\", key-file: \""
        + tls.resolve("privkey.pem") + "\"" + more + " } }";
  }

  /** {@code access-log.path} as {@code off}, {@code stdout} or a file named {@code name} in the temporary directory. */
  private static String accessLog(String destination, String name) {
    String path = destination.equals("file") ? dir.resolve(name).toString() : destination;
    return "access-log: { path: \"" + path + "\" }";
  }

  private static String signedUrl(String secret) {
    return """
        entitlement:
          rules:
            - paths: ["/blobs/"]
              mode: signed-url
              keys:
                - { id: "2026-09", secret-file: "%s" }
        """.formatted(TestSecrets.file(secret));
  }
}
