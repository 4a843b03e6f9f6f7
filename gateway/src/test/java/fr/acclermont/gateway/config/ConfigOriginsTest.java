package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code origins} section's errors: origins missing or empty, names missing, malformed or used
 * twice, path prefixes listed twice or without a leading slash, and origin URLs that are not http
 * or https URLs with a host. The {@code tls} keys of https origins: {@link ConfigOriginsTlsTest}.
 */
class ConfigOriginsTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "# nothing but a comment\n", "~\n", "origins:\n"})
  void parse_noOrigins_failsSayingOriginsIsRequired(String yaml) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins: required"
            + " (expected a list of at least one origin, each with a name and a url)");
  }

  @Test
  void parse_emptyOrigins_failsShowingForm() {
    assertThatThrownBy(() -> parse("origins: []\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins: an empty list"
            + " (expected a list of at least one origin, each with a name and a url)");
  }

  @Test
  void parse_originWithoutName_failsNamingKey() {
    assertThatThrownBy(() -> parse("origins:\n  - url: http://127.0.0.1:8000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].name: required"
            + " (expected a name of lowercase letters, digits, _ and -, such as cloud)");
  }

  @Test
  void parse_badOriginName_failsShowingForm() {
    assertThatThrownBy(() -> parse("origins:\n  - name: Cloud 1\n    url: http://h\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].name: \"Cloud 1\""
            + " (expected a name of lowercase letters, digits, _ and -, such as cloud)");
  }

  @Test
  void parse_duplicateOriginName_failsNamingFirstUse() {
    assertThatThrownBy(() -> parse(ORIGINS + "  - name: cloud\n    url: http://other\n"
        + "    paths: [/other/]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[1].name: \"cloud\""
            + " (expected a unique name; origins[0] already uses it)");
  }

  @Test
  void parse_duplicatePathPrefix_failsNamingOwner() {
    assertThatThrownBy(() -> parse("""
        origins:
          - name: cloud
            url: http://cloud
            paths: [/books/, /blobs/]
          - name: media
            url: http://media
            paths: [/video/, /books/]
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[1].paths[1]: \"/books/\""
            + " (expected a prefix listed only once; origin cloud already lists \"/books/\")");
  }

  @Test
  void parse_twoOriginsWithDefaultPaths_failsNamingDefault() {
    assertThatThrownBy(() -> parse(ORIGINS + "  - name: media\n    url: http://media\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[1].paths: the default [\"/\"]"
            + " (expected a prefix listed only once; origin cloud already lists \"/\")");
  }

  @Test
  void parse_pathPrefixWithoutSlash_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "    paths: [books]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].paths[0]: \"books\""
            + " (expected a path prefix starting with /, such as /books/)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:8000", "ftp://cloud", "http://cloud example", "http:cloud"})
  void parse_badUrl_failsShowingForm(String url) {
    assertThatThrownBy(() -> parse(origin(url)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].url: \"" + url
            + "\" (expected an http or https URL such as http://127.0.0.1:8000)");
  }

  @Test
  void parse_urlWithoutHost_failsAskingForHost() {
    assertThatThrownBy(() -> parse(origin("http:///base")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].url: \"http:///base\""
            + " (expected an http URL with a host, such as http://127.0.0.1:8000)");
  }

  @Test
  void parse_urlWithQuery_failsShowingForm() {
    assertThatThrownBy(() -> parse(origin("http://cloud/base?x=1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].url: \"http://cloud/base?x=1\" (expected an http URL"
            + " without user, query or fragment, such as http://127.0.0.1:8000/base)");
  }

  private static String origin(String url) {
    return "origins:\n  - name: cloud\n    url: \"" + url + "\"\n";
  }
}
