package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * An origin's {@code parents}: URLs of the same form as its {@code url}, each once, never the
 * origin's own; {@code tls} allowed when a parent alone is {@code https}. Each bad value stops
 * start-up with one line naming its key.
 */
class ConfigOriginParentsTest {

  @Test
  void parse_noParents_empty() {
    assertThat(parse(origin("")).origins().get(0).parents()).isEmpty();
  }

  @Test
  void parse_parents_keptInOrderNormalized() {
    OriginConfig origin = parse(origin("    parents: [\"HTTP://academie-1.example:8080/\", \"https://academie-2.example\"]\n"))
        .origins().get(0);

    assertThat(origin.parents()).containsExactly(URI.create("http://academie-1.example:8080"),
        URI.create("https://academie-2.example"));
    assertThat(origin.usesTls()).isTrue();
    assertThat(origin.isHttps()).isFalse();
  }

  @Test
  void parse_tlsWithAnHttpsParentOfAnHttpOrigin_accepted() {
    OriginConfig origin = parse(origin("    parents: [\"https://academie.example\"]\n    tls: { verify: false }\n"))
        .origins().get(0);

    assertThat(origin.tls().verify()).isFalse();
  }

  @Test
  void parse_parentNotAUrl_failsNamingTheItem() {
    assertThatThrownBy(() -> parse(origin("    parents: [\"http://academie.example\", \"ftp://x\"]\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].parents[1]: \"ftp://x\" (expected an http or https URL such as http://127.0.0.1:8000)");
  }

  @Test
  void parse_parentListedTwice_failsNamingTheSecond() {
    assertThatThrownBy(() -> parse(origin("    parents: [\"http://a.example\", \"http://a.example/\"]\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].parents[1]: \"http://a.example/\" (expected each parent listed once)");
  }

  @Test
  void parse_parentIsTheOriginItself_fails() {
    assertThatThrownBy(() -> parse(origin("    parents: [\"http://cloud.example\"]\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].parents[0]: \"http://cloud.example\" (expected a parent cache, not the origin's"
            + " own url: the origin is asked when every parent is down)");
  }

  @Test
  void parse_parentsNotAList_fails() {
    assertThatThrownBy(() -> parse(origin("    parents: http://academie.example\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("origins[0].parents: \"http://academie.example\" (expected a list of parent URLs");
  }

  @Test
  void parse_parentsEmpty_fails() {
    assertThatThrownBy(() -> parse(origin("    parents: []\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].parents: an empty list (expected a list of parent URLs such as"
            + " [\"http://academie.example:8080\"], 1 to 16 of them)");
  }

  private static String origin(String more) {
    return "origins:\n  - name: cloud\n    url: \"http://cloud.example\"\n" + more;
  }
}
