package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code entitlement.rules}: what a rule guards ({@code paths} or {@code origin}), its mode
 * ({@code signed-url} with one or two keys read from secret files and a clock skew, or
 * {@code auth-forward} with the endpoint to ask), keys of the other mode refused, and every error
 * naming its key. Secrets never appear in a message or in {@code toString()}.
 */
class ConfigEntitlementTest {

  private static final String SECRET_A = "0123456789abcdef0123456789abcdef";
  private static final String SECRET_B = "fedcba9876543210fedcba9876543210";
  private static final String RULE_KEYS = "paths, origin, mode, keys, clock-skew, auth-forward";
  private static final String AUTH_KEYS = "origin, path, cookie, cache-for, offline-window, timeout";
  private static final String SECRET_FORM = "(expected the path of a file holding the shared secret, at least"
      + " 16 bytes, such as /etc/textbook-gateway/keys/2026-09.key";
  private static final String KEY_ID_FORM = "(expected 1 to 64 letters, digits, '.', '_' or '-', such as 2026-09)";
  private static final String KEY_COUNT_FORM = "(expected one or two keys: the current one, and the next or"
      + " previous one during a rotation)";
  /** Two origins, so that a message listing the configured names shows both. */
  private static final String TWO_ORIGINS = ORIGINS + """
        - name: books
          url: http://127.0.0.1:8001
          paths: [/books/]
      """;

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  /** One item of a rule's {@code keys}, indented for {@link #rule}. */
  private static String key(String id, Path secretFile) {
    return "        - id: " + id + "\n          secret-file: \"" + secretFile + "\"\n";
  }

  /** One item of {@code entitlement.rules}: the first line, then the rule's other lines as given. */
  private static String rule(String first, String... lines) {
    StringBuilder yaml = new StringBuilder("    - ").append(first).append('\n');
    for (String line : lines) {
      yaml.append("      ").append(line).append('\n');
    }
    return yaml.toString();
  }

  private static String entitlement(String origins, String... rules) {
    return origins + "entitlement:\n  rules:\n" + String.join("", rules);
  }

  private static List<EntitlementRuleConfig> rules(String... rules) {
    return parse(entitlement(ORIGINS, rules)).entitlement();
  }

  private static void assertFails(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  private static void assertRulesFail(String message, String... rules) {
    assertFails(entitlement(ORIGINS, rules), message);
  }

  /** A signed-url rule on {@code /books/licensed/} with one key, {@code 2026-09}, of SECRET_A. */
  private String signedRule(String... more) throws IOException {
    Path secret = write("2026-09.key", SECRET_A + "\n");
    String[] lines = new String[more.length + 2];
    lines[0] = "mode: signed-url";
    System.arraycopy(more, 0, lines, 1, more.length);
    lines[more.length + 1] = "keys:\n" + key("2026-09", secret).stripTrailing();
    return rule("paths: [/books/licensed/]", lines);
  }

  /** An auth-forward rule on {@code /books/licensed/} asking origin cloud, with the given extra lines. */
  private static String authRule(String... more) {
    String[] lines = new String[more.length + 4];
    lines[0] = "mode: auth-forward";
    lines[1] = "auth-forward:";
    lines[2] = "  origin: cloud";
    lines[3] = "  path: /entitlement/check";
    for (int i = 0; i < more.length; i++) {
      lines[4 + i] = "  " + more[i];
    }
    return rule("paths: [/books/licensed/]", lines);
  }

  // ---- absent and empty ----

  @Test
  void parse_noEntitlement_noRules() {
    assertThat(parse(ORIGINS).entitlement()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"entitlement:\n", "entitlement: {}\n", "entitlement:\n  rules: []\n",
      "entitlement:\n  rules:\n", "entitlement:\n  rules: ~\n"})
  void parse_emptyEntitlementOrRules_noRules(String section) {
    assertThat(parse(ORIGINS + section).entitlement()).isEmpty();
  }

  @Test
  void parse_entitlementUnknownKey_listsRules() {
    assertFails(ORIGINS + "entitlement:\n  rule: []\n",
        "entitlement.rule: unknown key (expected one of: rules)");
  }

  @Test
  void parse_entitlementNotAMap_failsNamingKey() {
    assertFails(ORIGINS + "entitlement: [a]\n",
        "entitlement: a list (expected a map with keys: rules)");
  }

  @Test
  void parse_rulesNotAList_failsShowingForm() {
    assertFails(ORIGINS + "entitlement:\n  rules:\n    paths: [/books/]\n",
        "entitlement.rules: a map (expected a list of rules, each with paths (or origin) and a mode)");
  }

  @Test
  void parse_ruleNotAMap_failsListingRuleKeys() {
    assertFails(ORIGINS + "entitlement:\n  rules: [signed-url]\n",
        "entitlement.rules[0]: \"signed-url\" (expected a map with keys: " + RULE_KEYS + ")");
  }

  // ---- signed-url ----

  @Test
  void parse_signedUrlWithPathsAndTwoKeys_parsed() throws IOException {
    Path current = write("2026-09.key", SECRET_A + "\n");
    Path next = write("2027-01.key", SECRET_B + "\n");

    List<EntitlementRuleConfig> rules = rules(rule("paths: [/books/licensed/, /annales/]",
        "mode: signed-url",
        "keys:\n" + key("2026-09", current) + key("2027-01", next).stripTrailing()));

    assertThat(rules).hasSize(1);
    EntitlementRuleConfig rule = rules.get(0);
    assertThat(rule.paths()).containsExactly("/books/licensed/", "/annales/");
    assertThat(rule.origin()).isNull();
    assertThat(rule.mode()).isEqualTo(EntitlementRuleConfig.Mode.SIGNED_URL);
    assertThat(rule.mode().word()).isEqualTo("signed-url");
    assertThat(rule.keys()).extracting(SigningKeyConfig::id).containsExactly("2026-09", "2027-01");
    assertThat(rule.keys().get(0).secret()).isEqualTo(SECRET_A.getBytes(StandardCharsets.UTF_8));
    assertThat(rule.keys().get(1).secret()).isEqualTo(SECRET_B.getBytes(StandardCharsets.UTF_8));
    assertThat(rule.clockSkew()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(EntitlementRuleConfig.DEFAULT_CLOCK_SKEW);
    assertThat(rule.authForward()).isNull();
  }

  @Test
  void parse_secretWithSurroundingWhiteSpace_stripped() throws IOException {
    Path file = write("k.key", "  " + SECRET_A + " \r\n\r\n");

    EntitlementRuleConfig rule = rules(rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("k", file).stripTrailing())).get(0);

    assertThat(rule.keys().get(0).secret()).isEqualTo(SECRET_A.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_secretOfExactly16Bytes_accepted() throws IOException {
    Path file = write("k.key", "0123456789abcdef\n");

    EntitlementRuleConfig rule = rules(rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("k", file).stripTrailing())).get(0);

    assertThat(rule.keys().get(0).secret()).hasSize(SigningKeyConfig.MIN_SECRET_BYTES);
  }

  @Test
  void parse_secret_isACopy() throws IOException {
    SigningKeyConfig key = rules(signedRule()).get(0).keys().get(0);

    key.secret()[0] = 'X';

    assertThat(key.secret()).isEqualTo(SECRET_A.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_clockSkewExplicit_kept() throws IOException {
    assertThat(rules(signedRule("clock-skew: 2m")).get(0).clockSkew()).isEqualTo(Duration.ofMinutes(2));
    assertThat(rules(signedRule("clock-skew: 0s")).get(0).clockSkew()).isEqualTo(Duration.ZERO);
    assertThat(rules(signedRule("clock-skew: 1h")).get(0).clockSkew()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void parse_clockSkewOverAnHour_failsShowingRange() throws IOException {
    assertRulesFail("entitlement.rules[0].clock-skew: \"61m\" (expected a duration from 0s to 1h)",
        signedRule("clock-skew: 61m"));
  }

  @Test
  void parse_clockSkewNotADuration_failsShowingForm() throws IOException {
    assertRulesFail("entitlement.rules[0].clock-skew: 30 (expected " + Durations.FORM + ")",
        signedRule("clock-skew: 30"));
  }

  @Test
  void parse_numericKeyId_readAsText() throws IOException {
    Path file = write("k.key", SECRET_A);

    EntitlementRuleConfig rule = rules(rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("2026", file).stripTrailing())).get(0);

    assertThat(rule.keys()).extracting(SigningKeyConfig::id).containsExactly("2026");
  }

  @Test
  void parse_signedUrlWithoutKeys_failsNamingKeys() {
    assertRulesFail("entitlement.rules[0].keys: required with mode signed-url (expected a list of one or two"
        + " keys, each {id, secret-file})", rule("paths: [/books/]", "mode: signed-url"));
  }

  @Test
  void parse_threeKeys_failsNamingKeys() throws IOException {
    Path a = write("a.key", SECRET_A);
    Path b = write("b.key", SECRET_B);
    Path c = write("c.key", SECRET_A + SECRET_B);

    assertRulesFail("entitlement.rules[0].keys: a list " + KEY_COUNT_FORM,
        rule("paths: [/books/]", "mode: signed-url",
            "keys:\n" + key("a", a) + key("b", b) + key("c", c).stripTrailing()));
  }

  @Test
  void parse_emptyKeys_failsNamingKeys() {
    assertRulesFail("entitlement.rules[0].keys: an empty list " + KEY_COUNT_FORM,
        rule("paths: [/books/]", "mode: signed-url", "keys: []"));
  }

  @Test
  void parse_keysNotAList_failsShowingForm() throws IOException {
    Path a = write("a.key", SECRET_A);

    assertRulesFail("entitlement.rules[0].keys: a map (expected a list of one or two keys, each {id,"
        + " secret-file})", rule("paths: [/books/]", "mode: signed-url",
            "keys:\n        id: a\n        secret-file: \"" + a + "\""));
  }

  @Test
  void parse_duplicateKeyIds_failsNamingSecondId() throws IOException {
    Path a = write("a.key", SECRET_A);
    Path b = write("b.key", SECRET_B);

    assertRulesFail("entitlement.rules[0].keys[1].id: \"2026-09\" (expected an id the other key does not"
        + " have)", rule("paths: [/books/]", "mode: signed-url",
            "keys:\n" + key("2026-09", a) + key("2026-09", b).stripTrailing()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026/09", "key 1", "clé", "a:b",
      "k12345678901234567890123456789012345678901234567890123456789012345"})
  void parse_badKeyId_failsShowingForm(String id) throws IOException {
    Path a = write("a.key", SECRET_A);

    assertRulesFail("entitlement.rules[0].keys[0].id: " + Messages.quote(id) + " " + KEY_ID_FORM,
        rule("paths: [/books/]", "mode: signed-url", "keys:\n" + key("\"" + id + "\"", a).stripTrailing()));
  }

  @Test
  void parse_keyIdOf64Characters_accepted() throws IOException {
    Path a = write("a.key", SECRET_A);
    String id = "k".repeat(64);

    EntitlementRuleConfig rule = rules(rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key(id, a).stripTrailing())).get(0);

    assertThat(rule.keys().get(0).id()).isEqualTo(id);
  }

  @Test
  void parse_keyWithoutId_failsNamingKey() throws IOException {
    Path a = write("a.key", SECRET_A);

    assertRulesFail("entitlement.rules[0].keys[0].id: required " + KEY_ID_FORM,
        rule("paths: [/books/]", "mode: signed-url", "keys:\n        - secret-file: \"" + a + "\""));
  }

  @Test
  void parse_keyUnknownKey_listsKeyKeys() throws IOException {
    assertRulesFail("entitlement.rules[0].keys[0].secret: unknown key (expected one of: id, secret-file)",
        rule("paths: [/books/]", "mode: signed-url", "keys:\n        - id: a\n          secret: " + SECRET_A));
  }

  @Test
  void parse_keyWithoutSecretFile_failsNamingKey() {
    assertRulesFail("entitlement.rules[0].keys[0].secret-file: required " + SECRET_FORM + ")",
        rule("paths: [/books/]", "mode: signed-url", "keys:\n        - id: a"));
  }

  @Test
  void parse_secondKeyWithoutSecretFile_failsNamingSecondKey() throws IOException {
    Path a = write("a.key", SECRET_A);

    assertRulesFail("entitlement.rules[0].keys[1].secret-file: required " + SECRET_FORM + ")",
        rule("paths: [/books/]", "mode: signed-url", "keys:\n" + key("a", a) + "        - id: b"));
  }

  @Test
  void parse_secretFileMissing_failsNamingKey() {
    Path missing = dir.resolve("none.key");

    assertThatThrownBy(() -> parse(entitlement(ORIGINS, rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("a", missing).stripTrailing()))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("entitlement.rules[0].keys[0].secret-file: \"" + missing + "\" " + SECRET_FORM
            + "; no such file)");
  }

  @Test
  void parse_secretFileIsADirectory_failsNamingKey() {
    assertThatThrownBy(() -> parse(entitlement(ORIGINS, rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("a", dir).stripTrailing()))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("entitlement.rules[0].keys[0].secret-file: \"" + dir + "\" " + SECRET_FORM
            + "; it is a directory)");
  }

  @Test
  void parse_secretFileNotText_failsNamingKey() {
    assertRulesFail("entitlement.rules[0].keys[0].secret-file: a list " + SECRET_FORM + ")",
        rule("paths: [/books/]", "mode: signed-url", "keys:\n        - id: a\n          secret-file: [a, b]"));
  }

  @Test
  void parse_secretShorterThan16Bytes_failsShowingLengthNotSecret() throws IOException {
    Path file = write("short.key", "short-secret15c\n");

    assertThatThrownBy(() -> parse(entitlement(ORIGINS, rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("a", file).stripTrailing()))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("entitlement.rules[0].keys[0].secret-file: \"" + file + "\" " + SECRET_FORM
            + "; it holds 15 bytes)")
        .message().doesNotContain("short-secret15c");
  }

  @Test
  void parse_secretFileBlank_failsAsZeroBytes() throws IOException {
    Path file = write("blank.key", " \n\n");

    assertThatThrownBy(() -> parse(entitlement(ORIGINS, rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("a", file).stripTrailing()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("; it holds 0 bytes)");
  }

  @Test
  void parse_secretFileFromVariable_substituted() throws IOException {
    write("2026-09.key", SECRET_A + "\n");
    String yaml = entitlement(ORIGINS, rule("paths: [/books/]", "mode: signed-url",
        "keys:\n        - id: 2026-09\n          secret-file: ${KEYS_DIR}/2026-09.key"));

    GatewayConfig config = ConfigLoader.parse(yaml, Map.of("KEYS_DIR", dir.toString()));

    assertThat(config.entitlement().get(0).keys().get(0).secret())
        .isEqualTo(SECRET_A.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_secretFileVariableUnset_failsNamingKeyAndVariable() {
    assertThatThrownBy(() -> parse(entitlement(ORIGINS, rule("paths: [/books/]", "mode: signed-url",
        "keys:\n        - id: a\n          secret-file: ${KEYS_DIR}/a.key"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("entitlement.rules[0].keys[0].secret-file: ")
        .hasMessageContaining("KEYS_DIR");
  }

  // ---- paths and origin ----

  @Test
  void parse_originRule_guardsTheOriginWithoutPaths() throws IOException {
    Path a = write("a.key", SECRET_A);

    EntitlementRuleConfig rule = rules(rule("origin: cloud", "mode: signed-url",
        "keys:\n" + key("a", a).stripTrailing())).get(0);

    assertThat(rule.origin()).isEqualTo("cloud");
    assertThat(rule.paths()).isEmpty();
    assertThat(rule.mode()).isEqualTo(EntitlementRuleConfig.Mode.SIGNED_URL);
  }

  @Test
  void parse_originRuleOfTheSecondOrigin_parsed() throws IOException {
    Path a = write("a.key", SECRET_A);

    EntitlementRuleConfig rule = parse(entitlement(TWO_ORIGINS, rule("origin: books", "mode: signed-url",
        "keys:\n" + key("a", a).stripTrailing()))).entitlement().get(0);

    assertThat(rule.origin()).isEqualTo("books");
  }

  @Test
  void parse_unknownOrigin_failsListingConfiguredNames() {
    assertFails(entitlement(TWO_ORIGINS, rule("origin: library", "mode: signed-url")),
        "entitlement.rules[0].origin: \"library\" (expected the name of a configured origin: cloud, books)");
  }

  @Test
  void parse_sameOriginInTwoRules_failsNamingTheSecondRulesOrigin() throws IOException {
    Path secret = write("k.key", SECRET_A);
    String keys = "keys:\n" + key("k", secret).stripTrailing();
    assertRulesFail("entitlement.rules[1].origin: \"cloud\" (expected an origin no other rule guards: which rule"
        + " applies would be unclear)",
        rule("origin: cloud", "mode: signed-url", keys), rule("origin: cloud", "mode: signed-url", keys));
  }

  @Test
  void parse_secretFileOfSeveralLines_refused() throws IOException {
    Path secret = write("two-lines.key", "line-one-secret!\nline-two\n");
    assertThatThrownBy(() -> parse(entitlement(ORIGINS, rule("paths: [/books/]", "mode: signed-url",
        "keys:\n" + key("a", secret).stripTrailing()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("; it holds several lines: one secret per file)")
        .hasMessageNotContaining("line-one-secret");
  }

  @Test
  void parse_emptyOriginName_failsNamingKey() {
    assertRulesFail("entitlement.rules[0].origin: \"\" (expected an origin's name)",
        rule("origin: \"\"", "mode: signed-url"));
  }

  @Test
  void parse_pathsAndOrigin_failsNamingOrigin() {
    assertRulesFail("entitlement.rules[0].origin: not allowed with paths (expected paths or origin, not both)",
        rule("paths: [/books/]", "origin: cloud", "mode: signed-url"));
  }

  @Test
  void parse_neitherPathsNorOrigin_failsNamingPaths() {
    assertRulesFail("entitlement.rules[0].paths: required (expected paths, a list of prefixes such as"
        + " [\"/books/licensed/\"], or origin, an origin's name)", rule("mode: signed-url"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"books/", "*", "/books/?x", "/books #licensed/"})
  void parse_prefixNotAPrefix_failsNamingItem(String prefix) {
    assertRulesFail("entitlement.rules[0].paths[1]: " + Messages.quote(prefix)
        + " (expected a path prefix starting with /, such as /books/)",
        rule("paths: [/ok/, \"" + prefix + "\"]", "mode: signed-url"));
  }

  @Test
  void parse_pathsEmpty_failsNamingPaths() {
    assertRulesFail("entitlement.rules[0].paths: an empty list (expected a list of at least one path prefix"
        + " starting with /, such as [\"/books/licensed/\"])", rule("paths: []", "mode: signed-url"));
  }

  @Test
  void parse_pathsNotAList_failsNamingPaths() {
    assertRulesFail("entitlement.rules[0].paths: \"/books/\" (expected a list of at least one path prefix"
        + " starting with /, such as [\"/books/licensed/\"])", rule("paths: /books/", "mode: signed-url"));
  }

  @Test
  void parse_samePrefixInTwoRules_failsNamingSecondRulesPaths() throws IOException {
    String first = signedRule();

    assertRulesFail("entitlement.rules[1].paths: \"/books/licensed/\" (expected a prefix no other rule has)",
        first, authRule().replace("paths: [/books/licensed/]", "paths: [/annales/, /books/licensed/]"));
  }

  @Test
  void parse_samePrefixTwiceInOneRule_failsNamingPaths() throws IOException {
    String twice = signedRule().replace("paths: [/books/licensed/]", "paths: [/books/, /books/]");

    assertRulesFail("entitlement.rules[0].paths: \"/books/\" (expected a prefix no other rule has)", twice);
  }

  @Test
  void parse_nestedPrefixesInTwoRules_accepted() throws IOException {
    List<EntitlementRuleConfig> rules = rules(signedRule(),
        authRule().replace("paths: [/books/licensed/]", "paths: [/books/]"));

    assertThat(rules).extracting(EntitlementRuleConfig::paths)
        .containsExactly(List.of("/books/licensed/"), List.of("/books/"));
  }

  // ---- rule keys and mode ----

  @Test
  void parse_unknownRuleKey_listsRuleKeys() {
    assertRulesFail("entitlement.rules[0].mod: unknown key (expected one of: " + RULE_KEYS + ")",
        rule("paths: [/books/]", "mod: signed-url"));
  }

  @Test
  void parse_modeMissing_failsNamingMode() {
    assertRulesFail("entitlement.rules[0].mode: required (expected signed-url or auth-forward)",
        rule("paths: [/books/]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"signed", "SIGNED-URL", "auth_forward", "none"})
  void parse_modeUnknown_failsNamingMode(String mode) {
    assertRulesFail("entitlement.rules[0].mode: \"" + mode + "\" (expected signed-url or auth-forward)",
        rule("paths: [/books/]", "mode: " + mode));
  }

  @Test
  void parse_errorInSecondRule_namesSecondRule() throws IOException {
    assertRulesFail("entitlement.rules[1].mode: required (expected signed-url or auth-forward)",
        signedRule(), rule("paths: [/annales/]"));
  }

  // ---- auth-forward ----

  @Test
  void parse_authForwardFull_parsed() {
    EntitlementRuleConfig rule = parse(entitlement(TWO_ORIGINS, rule("origin: books",
        "mode: auth-forward",
        "auth-forward:",
        "  origin: cloud",
        "  path: /api/entitlement/check",
        "  cookie: SESSION",
        "  cache-for: 2m",
        "  offline-window: 3d",
        "  timeout: 1500ms"))).entitlement().get(0);

    assertThat(rule.origin()).isEqualTo("books");
    assertThat(rule.paths()).isEmpty();
    assertThat(rule.mode()).isEqualTo(EntitlementRuleConfig.Mode.AUTH_FORWARD);
    assertThat(rule.mode().word()).isEqualTo("auth-forward");
    assertThat(rule.keys()).isEmpty();
    assertThat(rule.authForward()).isEqualTo(new AuthForwardConfig("cloud", "/api/entitlement/check", "SESSION",
        Duration.ofMinutes(2), Duration.ofDays(3), Duration.ofMillis(1500)));
  }

  @Test
  void parse_authForwardMinimal_defaults() {
    EntitlementRuleConfig rule = rules(authRule()).get(0);

    assertThat(rule.paths()).containsExactly("/books/licensed/");
    assertThat(rule.origin()).isNull();
    assertThat(rule.keys()).isEmpty();
    AuthForwardConfig auth = rule.authForward();
    assertThat(auth).isNotNull();
    assertThat(auth.origin()).isEqualTo("cloud");
    assertThat(auth.path()).isEqualTo("/entitlement/check");
    assertThat(auth.cookie()).isNull();
    assertThat(auth.cacheFor()).isEqualTo(Duration.ofSeconds(60)).isEqualTo(AuthForwardConfig.DEFAULT_CACHE_FOR);
    assertThat(auth.offlineWindow()).isEqualTo(Duration.ofDays(7))
        .isEqualTo(AuthForwardConfig.DEFAULT_OFFLINE_WINDOW);
    assertThat(auth.timeout()).isEqualTo(Duration.ofSeconds(5)).isEqualTo(AuthForwardConfig.DEFAULT_TIMEOUT);
  }

  @Test
  void parse_authForwardZeroCacheAndWindow_accepted() {
    AuthForwardConfig auth = rules(authRule("cache-for: 0s", "offline-window: 0s")).get(0).authForward();

    assertThat(auth.cacheFor()).isZero();
    assertThat(auth.offlineWindow()).isZero();
  }

  @Test
  void parse_authForwardMissing_failsListingItsKeys() {
    assertRulesFail("entitlement.rules[0].auth-forward: required with mode auth-forward (expected a map with"
        + " keys: " + AUTH_KEYS + ")", rule("paths: [/books/]", "mode: auth-forward"));
  }

  @Test
  void parse_authForwardNotAMap_failsListingItsKeys() {
    assertRulesFail("entitlement.rules[0].auth-forward: \"cloud\" (expected a map with keys: " + AUTH_KEYS + ")",
        rule("paths: [/books/]", "mode: auth-forward", "auth-forward: cloud"));
  }

  @Test
  void parse_authForwardWithoutOrigin_failsNamingKey() {
    assertRulesFail("entitlement.rules[0].auth-forward.origin: required (expected the name of the origin that"
        + " answers entitlement questions)",
        rule("paths: [/books/]", "mode: auth-forward", "auth-forward:", "  path: /entitlement/check"));
  }

  @Test
  void parse_authForwardUnknownOrigin_failsListingConfiguredNames() {
    assertFails(entitlement(TWO_ORIGINS, rule("paths: [/books/licensed/]", "mode: auth-forward",
        "auth-forward:", "  origin: entitlements", "  path: /entitlement/check")),
        "entitlement.rules[0].auth-forward.origin: \"entitlements\" (expected the name of a configured origin:"
            + " cloud, books)");
  }

  @Test
  void parse_authForwardWithoutPath_failsNamingKey() {
    assertRulesFail("entitlement.rules[0].auth-forward.path: required (expected the endpoint's path, such as"
        + " /entitlement/check)", rule("paths: [/books/]", "mode: auth-forward", "auth-forward:",
        "  origin: cloud"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"entitlement/check", "http://cloud/entitlement/check", "/entitlement check",
      "/entitlement#check"})
  void parse_authForwardPathNotAPath_failsShowingForm(String path) {
    assertRulesFail("entitlement.rules[0].auth-forward.path: " + Messages.quote(path)
        + " (expected a path starting with /, such as /entitlement/check)",
        rule("paths: [/books/]", "mode: auth-forward", "auth-forward:", "  origin: cloud",
            "  path: \"" + path + "\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SES SION", "SESSION;", "sess=1", "\"\""})
  void parse_authForwardCookieNotAToken_failsShowingForm(String cookie) {
    String value = cookie.equals("\"\"") ? "" : cookie;

    assertRulesFail("entitlement.rules[0].auth-forward.cookie: " + Messages.quote(value)
        + " (expected a cookie name (an HTTP token), such as SESSION)",
        authRule("cookie: \"" + value + "\""));
  }

  @Test
  void parse_authForwardUnknownKey_listsItsKeys() {
    assertRulesFail("entitlement.rules[0].auth-forward.url: unknown key (expected one of: " + AUTH_KEYS + ")",
        authRule("url: http://127.0.0.1:8000/entitlement/check"));
  }

  @Test
  void parse_authForwardCacheForOverADay_failsShowingRange() {
    assertRulesFail("entitlement.rules[0].auth-forward.cache-for: \"2d\" (expected a duration from 0s to 1d)",
        authRule("cache-for: 2d"));
  }

  @Test
  void parse_authForwardOfflineWindowOverAYear_failsShowingRange() {
    assertRulesFail("entitlement.rules[0].auth-forward.offline-window: \"366d\" (expected a duration from 0s"
        + " to 365d)", authRule("offline-window: 366d"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "2m"})
  void parse_authForwardTimeoutOutOfRange_failsShowingRange(String timeout) {
    assertRulesFail("entitlement.rules[0].auth-forward.timeout: \"" + timeout + "\" (expected a duration from 1ms"
        + " to 1m)", authRule("timeout: " + timeout));
  }

  // ---- keys of the other mode ----

  @Test
  void parse_keysWithAuthForward_refused() throws IOException {
    Path a = write("a.key", SECRET_A);

    assertRulesFail("entitlement.rules[0].keys: not used with mode auth-forward (expected it left out)",
        authRule().stripTrailing() + "\n      keys:\n" + key("a", a));
  }

  @Test
  void parse_clockSkewWithAuthForward_refused() {
    assertRulesFail("entitlement.rules[0].clock-skew: not used with mode auth-forward (expected it left out)",
        authRule().stripTrailing() + "\n      clock-skew: 30s\n");
  }

  @Test
  void parse_authForwardWithSignedUrl_refused() throws IOException {
    assertRulesFail("entitlement.rules[0].auth-forward: not used with mode signed-url (expected it left out)",
        signedRule("auth-forward:\n        origin: cloud\n        path: /entitlement/check"));
  }

  @Test
  void parse_signedUrlAndAuthForwardRules_bothKept() throws IOException {
    List<EntitlementRuleConfig> rules = rules(signedRule(),
        authRule().replace("paths: [/books/licensed/]", "paths: [/annales/]"));

    assertThat(rules).extracting(EntitlementRuleConfig::mode)
        .containsExactly(EntitlementRuleConfig.Mode.SIGNED_URL, EntitlementRuleConfig.Mode.AUTH_FORWARD);
  }

  // ---- secrets never shown ----

  @Test
  void toString_withSecrets_neverShowsThem() throws IOException {
    Path current = write("2026-09.key", SECRET_A + "\n");
    Path next = write("2027-01.key", SECRET_B + "\n");
    GatewayConfig config = parse(entitlement(ORIGINS, rule("paths: [/books/licensed/]", "mode: signed-url",
        "keys:\n" + key("2026-09", current) + key("2027-01", next).stripTrailing())));

    SigningKeyConfig key = config.entitlement().get(0).keys().get(0);
    assertThat(key.toString()).isEqualTo("SigningKeyConfig[id=2026-09, secret=(32 bytes)]");
    assertThat(config.entitlement().get(0).toString()).doesNotContain(SECRET_A).doesNotContain(SECRET_B);
    assertThat(config.toString())
        .doesNotContain(SECRET_A)
        .doesNotContain(SECRET_B)
        .doesNotContain(SECRET_A.substring(0, 16))
        .contains("SigningKeyConfig[id=2027-01, secret=(32 bytes)]");
  }

  @Test
  void parse_sameFilesTwice_equalConfigs() throws IOException {
    String rule = signedRule();

    assertThat(rules(rule)).isEqualTo(rules(rule));
  }
}
