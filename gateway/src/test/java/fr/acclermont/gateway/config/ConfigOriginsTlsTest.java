package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https} origins and their {@code tls} section: the URL, {@code tls.ca-file} (read at
 * start-up: a missing, unreadable or damaged bundle stops it naming the key), {@code tls.verify},
 * and tls keys where they make no sense.
 */
class ConfigOriginsTlsTest {

  @TempDir
  Path dir;

  @Test
  void parse_httpsUrl_keptWithItsSchemeAndDefaultTls() {
    OriginConfig origin = parse(origin("https://cloud.example/textbooks/", "")).origins().get(0);

    assertThat(origin.url()).isEqualTo(URI.create("https://cloud.example/textbooks"));
    assertThat(origin.isHttps()).isTrue();
    assertThat(origin.tls()).isEqualTo(OriginTlsConfig.DEFAULT);
    assertThat(origin.tls().verify()).isTrue();
  }

  @Test
  void parse_httpsUrlInCapitals_schemeLowercased() {
    OriginConfig origin = parse(origin("HTTPS://cloud.example:8443", "")).origins().get(0);

    assertThat(origin.url()).isEqualTo(URI.create("https://cloud.example:8443"));
  }

  @Test
  void parse_caFile_readsEveryCertificateOfTheBundle() throws IOException {
    Path bundle = write("bundle.pem", "subject=CN = Test Academie CA\n" + TestPki.CA.getCertificatePEM()
        + "# and another one\n" + TestPki.OTHER_CA.getCertificatePEM());

    OriginTlsConfig tls = parse(origin("https://cloud.example", "    tls: { ca-file: \"" + bundle + "\" }\n"))
        .origins().get(0).tls();

    assertThat(tls.caFile()).isEqualTo(bundle);
    assertThat(tls.caCertificates()).containsExactly(TestPki.CA.getCertificate(), TestPki.OTHER_CA.getCertificate());
    assertThat(tls.verify()).isTrue();
  }

  @Test
  void parse_verifyFalse_kept() {
    OriginTlsConfig tls = parse(origin("https://cloud.example", "    tls: { verify: false }\n")).origins().get(0).tls();

    assertThat(tls).isEqualTo(new OriginTlsConfig(null, List.of(), false));
  }

  @Test
  void parse_caFileMissing_failsNamingKey() {
    Path missing = dir.resolve("no-such.pem");

    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: { ca-file: \"" + missing + "\" }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls.ca-file: \"" + missing
            + "\" (expected a readable PEM file of CA certificates; no such file)");
  }

  @Test
  void parse_caFileDirectory_failsNamingKey() {
    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: { ca-file: \"" + dir + "\" }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls.ca-file: \"" + dir
            + "\" (expected a readable PEM file of CA certificates; it is a directory)");
  }

  @Test
  void parse_caFileNotPem_failsNamingKey() throws Exception {
    Path der = dir.resolve("ca.der");
    Files.write(der, TestPki.CA.getCertificate().getEncoded());

    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: { ca-file: \"" + der + "\" }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls.ca-file: \"" + der + "\" (expected a readable PEM file of CA certificates;"
            + " no -----BEGIN CERTIFICATE----- block in it)");
  }

  @Test
  void parse_caFileDamagedCertificate_failsNamingWhichOne() throws IOException {
    Path bundle = write("damaged.pem", TestPki.CA.getCertificatePEM()
        + "-----BEGIN CERTIFICATE-----\nTUlJQmFk\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: { ca-file: \"" + bundle + "\" }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("origins[0].tls.ca-file: \"" + bundle + "\" (expected a readable PEM file of CA"
            + " certificates; certificate 2 does not parse: ")
        .message().doesNotContain("\n");
  }

  @Test
  void parse_tlsOnHttpOrigin_failsSayingHttpsIsNeeded() {
    assertThatThrownBy(() -> parse(origin("http://cloud.example", "    tls: { verify: false }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls: a map (expected no tls keys on an http origin; write an https url to reach"
            + " the origin over TLS)");
  }

  @Test
  void parse_unknownTlsKey_failsListingKeys() {
    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: { verify-host: false }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls.verify-host: unknown key (expected one of: ca-file, verify)");
  }

  @Test
  void parse_verifyNotBoolean_failsShowingForm() {
    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: { verify: maybe }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls.verify: \"maybe\" (expected true or false)");
  }

  @Test
  void parse_tlsNotAMap_failsShowingForm() {
    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: strict\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls: \"strict\" (expected a map with keys: ca-file, verify)");
  }

  @Test
  void parse_caFileNotText_failsShowingForm() {
    assertThatThrownBy(() -> parse(origin("https://cloud.example", "    tls: { ca-file: [a, b] }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].tls.ca-file: a list (expected a readable PEM file of CA certificates)");
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }

  private static String origin(String url, String more) {
    return "origins:\n  - name: cloud\n    url: \"" + url + "\"\n" + more;
  }
}
