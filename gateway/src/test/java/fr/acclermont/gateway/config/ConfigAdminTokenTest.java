package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admin.token-file} (read at start-up, so that a bad file stops it naming the key) and
 * {@code admin.metrics-require-token}.
 */
class ConfigAdminTokenTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final String FORM = "(expected the path of a file holding the admin token, 16 to 1024"
      + " visible ASCII characters such as the output of openssl rand -hex 32, for example"
      + " /etc/textbook-gateway/admin.token; ";

  @TempDir
  Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("admin.token"), text, StandardCharsets.ISO_8859_1);
  }

  private static AdminConfig admin(Path tokenFile, String more) {
    return parse("admin:\n  token-file: \"" + tokenFile + "\"\n" + more + ORIGINS).admin();
  }

  @Test
  void parse_noTokenFile_noTokenAndMetricsOpen() {
    AdminConfig admin = parse(ORIGINS).admin();

    assertThat(admin.token()).isNull();
    assertThat(admin.metricsRequireToken()).isFalse();
    assertThat(admin).isEqualTo(AdminConfig.defaults());
  }

  @Test
  void parse_tokenFileWithTrailingNewline_tokenWithoutIt() throws IOException {
    AdminConfig admin = admin(write(TOKEN + "\n"), "");

    assertThat(admin.token()).isNotNull();
    assertThat(admin.token().matches(TOKEN)).isTrue();
    assertThat(admin.token().matches(TOKEN + "\n")).isFalse();
    assertThat(admin.metricsRequireToken()).isFalse();
  }

  @Test
  void parse_tokenFileWithSpacesAndCrLfAtTheEnds_trimmed() throws IOException {
    assertThat(admin(write("  " + TOKEN + " \r\n\r\n"), "").token().matches(TOKEN)).isTrue();
  }

  @Test
  void parse_metricsRequireToken_kept() throws IOException {
    AdminConfig admin = admin(write(TOKEN), "  metrics-require-token: true\n");

    assertThat(admin.metricsRequireToken()).isTrue();
  }

  @Test
  void parse_sameFileTwice_equalConfigs() throws IOException {
    Path file = write(TOKEN);

    assertThat(admin(file, "")).isEqualTo(admin(file, ""));
  }

  @Test
  void parse_tokenFileMissing_failsNamingKey() {
    Path missing = dir.resolve("none.token");

    assertThatThrownBy(() -> admin(missing, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.token-file: \"" + missing + "\" " + FORM + "no such file)");
  }

  @Test
  void parse_tokenFileIsADirectory_failsNamingKey() {
    assertThatThrownBy(() -> admin(dir, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.token-file: \"" + dir + "\" " + FORM + "it is a directory)");
  }

  @Test
  void parse_tokenFileEmpty_failsNamingKey() throws IOException {
    Path empty = write("");

    assertThatThrownBy(() -> admin(empty, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.token-file: \"" + empty + "\" " + FORM + "the file is empty)");
  }

  @Test
  void parse_tokenFileBlank_failsAsEmpty() throws IOException {
    Path blank = write(" \n\n");

    assertThatThrownBy(() -> admin(blank, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("; the file is empty)");
  }

  @Test
  void parse_tokenShorterThan16_failsNamingKeyWithoutShowingIt() throws IOException {
    Path file = write("short-secret15c\n");

    assertThatThrownBy(() -> admin(file, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.token-file: \"" + file + "\" " + FORM + "the token is 15 characters long)")
        .message().doesNotContain("short-secret15c");
  }

  @Test
  void parse_tokenOf16_accepted() throws IOException {
    assertThat(admin(write("0123456789abcdef"), "").token().matches("0123456789abcdef")).isTrue();
  }

  @Test
  void parse_tokenWithASpaceOrNotAscii_failsNamingKey() throws IOException {
    Path spaced = write("correct horse battery staple\n");

    assertThatThrownBy(() -> admin(spaced, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("admin.token-file: \"" + spaced + "\"")
        .hasMessageEndingWith("; the token holds a space, a control character or a character that is not"
            + " ASCII)")
        .message().doesNotContain("horse");

    Path accented = write("mot-de-passe-très-long\n");
    assertThatThrownBy(() -> admin(accented, ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("admin.token-file:");
  }

  @Test
  void parse_tokenFileNotText_failsNamingKey() {
    assertThatThrownBy(() -> parse("admin:\n  token-file: [a, b]\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("admin.token-file: a list (expected the path of a file");
  }

  @Test
  void parse_metricsRequireTokenWithoutTokenFile_failsNamingKey() {
    assertThatThrownBy(() -> parse("admin:\n  metrics-require-token: true\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.metrics-require-token: true (expected false without admin.token-file: there is"
            + " no token to require)");
  }

  @Test
  void parse_metricsRequireTokenFalseWithoutTokenFile_accepted() {
    assertThat(parse("admin:\n  metrics-require-token: false\n" + ORIGINS).admin())
        .isEqualTo(AdminConfig.defaults());
  }

  @Test
  void parse_metricsRequireTokenNotABoolean_failsNamingKey() throws IOException {
    Path file = write(TOKEN);

    assertThatThrownBy(() -> admin(file, "  metrics-require-token: always\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.metrics-require-token: \"always\" (expected true or false)");
  }

  @Test
  void parse_adminUnknownKey_listsTheNewKeys() {
    assertThatThrownBy(() -> parse("admin:\n  token: x\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.token: unknown key (expected one of: host, port, token-file, metrics-require-token)");
  }

  @Test
  void toString_withToken_neverShowsTheSecret() throws IOException {
    GatewayConfig config = parse("admin:\n  token-file: \"" + write(TOKEN) + "\"\n"
        + "  metrics-require-token: true\n" + ORIGINS);

    assertThat(config.admin().toString()).doesNotContain(TOKEN).contains("AdminToken[***]");
    assertThat(config.toString()).doesNotContain(TOKEN);
  }
}
