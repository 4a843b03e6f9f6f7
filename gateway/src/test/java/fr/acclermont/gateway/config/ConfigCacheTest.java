package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cache} section beyond sizes: the freshness, offline and reload durations
 * ({@code heuristic-max-lifetime}, {@code max-stale-on-error}, {@code reload-revalidate-interval}),
 * the per-path {@code overrides} and the disk tier ({@code cache.disk}).
 */
class ConfigCacheTest {

  // ---- freshness, offline mode and reloads

  @Test
  void parse_freshnessKeysAbsent_giveDefaults() {
    CacheConfig cache = parse(ORIGINS).cache();

    assertThat(cache.heuristicMaxLifetime()).isEqualTo(Duration.ofDays(1));
    assertThat(cache.maxStaleOnError()).isEqualTo(Duration.ofDays(7));
    assertThat(cache.reloadRevalidateInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(cache.overrides()).isEqualTo(PathOverrides.NONE);
    assertThat(cache.overrides().list()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "heuristic-max-lifetime | 0s", "heuristic-max-lifetime | 12h",
      "heuristic-max-lifetime | 365d", "max-stale-on-error | 0s", "max-stale-on-error | 30d",
      "max-stale-on-error | 365d", "reload-revalidate-interval | 0s",
      "reload-revalidate-interval | 500ms", "reload-revalidate-interval | 1h"})
  void parse_freshnessKeySet_readsValue(String key, String value) {
    CacheConfig cache = parse(ORIGINS + "cache:\n  " + key + ": " + value + "\n").cache();
    Duration read = switch (key) {
      case "heuristic-max-lifetime" -> cache.heuristicMaxLifetime();
      case "max-stale-on-error" -> cache.maxStaleOnError();
      default -> cache.reloadRevalidateInterval();
    };

    assertThat(read).isEqualTo(Durations.parse(value));
  }

  @Test
  void parse_maxStaleOnErrorFromVariable_isSubstituted() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS
        + "cache:\n  max-stale-on-error: ${MAX_STALE:-7d}\n", Map.of("MAX_STALE", "14d"));

    assertThat(config.cache().maxStaleOnError()).isEqualTo(Duration.ofDays(14));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "heuristic-max-lifetime | x | \"x\"", "max-stale-on-error | 7 | 7",
      "max-stale-on-error | 7 days | \"7 days\"", "reload-revalidate-interval | -5s | \"-5s\"",
      "reload-revalidate-interval | true | true"})
  void parse_badFreshnessDuration_failsNamingKey(String key, String value, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  " + key + ": " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache." + key + ": " + described + " (expected a duration such as 10s or"
            + " 500ms: a whole number followed by ms, s, m, h or d)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "heuristic-max-lifetime | 366d | 365d", "max-stale-on-error | 8784h | 365d",
      "reload-revalidate-interval | 61m | 1h", "reload-revalidate-interval | 1d | 1h"})
  void parse_freshnessDurationOutOfRange_failsShowingRange(String key, String value, String max) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  " + key + ": " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache." + key + ": \"" + value + "\" (expected a duration from 0s to " + max
            + ")");
  }

  // ---- variants per URL

  @Test
  void parse_maxVariantsAbsent_is32() {
    assertThat(parse(ORIGINS).cache().maxVariants()).isEqualTo(32);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "8", "1024"})
  void parse_maxVariantsSet_readsValue(String value) {
    assertThat(parse(ORIGINS + "cache:\n  max-variants: " + value + "\n").cache().maxVariants())
        .isEqualTo(Integer.parseInt(value));
  }

  @Test
  void parse_maxVariantsFromVariable_isSubstituted() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS + "cache:\n  max-variants: ${VARIANTS:-32}\n",
        Map.of("VARIANTS", "4"));

    assertThat(config.cache().maxVariants()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1025", "1.5", "true"})
  void parse_maxVariantsOutOfRange_failsShowingRange(String value) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  max-variants: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.max-variants: " + value + " (expected an integer from 1 to 1024)");
  }

  // ---- uses before storing

  @Test
  void parse_minUsesAbsent_is1() {
    assertThat(parse(ORIGINS).cache().minUses()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "2", "16"})
  void parse_minUsesSet_readsValue(String value) {
    assertThat(parse(ORIGINS + "cache:\n  min-uses: " + value + "\n").cache().minUses())
        .isEqualTo(Integer.parseInt(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "17", "2.5", "twice"})
  void parse_minUsesOutOfRange_failsShowingRange(String value) {
    String described = value.equals("twice") ? "\"twice\"" : value;
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  min-uses: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.min-uses: " + described + " (expected an integer from 1 to 16)");
  }

  // ---- targeted cache control (RFC 9213)

  @Test
  void parse_targetedCacheControlAbsent_isEdgeCacheControl() {
    assertThat(parse(ORIGINS).cache().targetedCacheControl()).isEqualTo("Edge-Cache-Control");
  }

  @Test
  void parse_targetedCacheControlSet_readsValue() {
    assertThat(parse(ORIGINS + "cache:\n  targeted-cache-control: School-Cache-Control\n").cache()
        .targetedCacheControl()).isEqualTo("School-Cache-Control");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"Edge Cache-Control\"", "\"Edge:Cache\"", "\"\"", "Cache-Control", "cache-control"})
  void parse_targetedCacheControlNotAFieldName_failsNamingKey(String value) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  targeted-cache-control: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cache.targeted-cache-control: ")
        .hasMessageEndingWith(" (expected an HTTP field name other than Cache-Control: letters, digits and"
            + " !#$%&'*+-.^_`|~ only, such as Edge-Cache-Control)");
  }

  // ---- overrides

  @Test
  void parse_overridesSet_readsEachItemInOrder() {
    PathOverrides overrides = parse(ORIGINS + """
        cache:
          overrides:
            - path: /books/v/
              fresh-for: 30d
            - { path: /books/, offline: true }
            - { path: /news/, fresh-for: 0s, offline: "${OFFLINE:-true}" }
            - { path: "/", fresh-for: 365d, offline: false }
        """).cache().overrides();

    assertThat(overrides.list()).containsExactly(
        new PathOverride("/books/v/", Duration.ofDays(30), false),
        new PathOverride("/books/", null, true),
        new PathOverride("/news/", Duration.ZERO, true),
        new PathOverride("/", Duration.ofDays(365), false));
    assertThat(overrides.find("/books/v/3/page.pdf").pathPrefix()).isEqualTo("/books/v/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"  overrides:\n", "  overrides: ~\n", "  overrides: []\n"})
  void parse_overridesEmpty_isNone(String overrides) {
    assertThat(parse(ORIGINS + "cache:\n" + overrides).cache().overrides())
        .isEqualTo(PathOverrides.NONE);
  }

  @Test
  void parse_overridesNotAList_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  overrides: { path: /books/ }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides: a map (expected a list of overrides, each with a path and"
            + " fresh-for, offline: true or both)");
  }

  @Test
  void parse_overridePathWithoutSlash_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS
        + "cache:\n  overrides:\n    - { path: books/, fresh-for: 1d }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0].path: \"books/\""
            + " (expected a path prefix starting with /, such as /books/)");
  }

  @Test
  void parse_overridePathWithQuery_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS
        + "cache:\n  overrides:\n    - { path: \"/books/?v=1\", offline: true }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0].path: \"/books/?v=1\""
            + " (expected a path prefix starting with /, such as /books/)");
  }

  @Test
  void parse_overrideWithoutPath_failsSayingPathIsRequired() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  overrides:\n    - { fresh-for: 1d }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0].path: required"
            + " (expected a path prefix starting with /, such as /books/)");
  }

  @Test
  void parse_duplicateOverridePath_failsNamingFirstItem() {
    assertThatThrownBy(() -> parse(ORIGINS + """
        cache:
          overrides:
            - { path: /books/, fresh-for: 1d }
            - { path: /video/, fresh-for: 1d }
            - { path: /books/, offline: true }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[2].path: \"/books/\""
            + " (expected a prefix listed only once; cache.overrides[0] already lists it)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"'{}' | an empty map", "~ | no value"})
  void parse_emptyOverride_failsShowingForm(String item, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  overrides:\n    - " + item + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0]: " + described + " (expected a map with a path and"
            + " fresh-for, offline: true or both, such as { path: /books/v/, fresh-for: 30d })");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{ path: /books/ }", "{ path: /books/, offline: false }",
      "{ path: /books/, fresh-for: ~ }"})
  void parse_overrideChangingNothing_failsNamingItem(String item) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  overrides:\n    - " + item + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0]: changes nothing for \"/books/\""
            + " (expected fresh-for, offline: true or both)");
  }

  @Test
  void parse_unknownKeyInOverride_failsListingKnownKeys() {
    assertThatThrownBy(() -> parse(ORIGINS
        + "cache:\n  overrides:\n    - { path: /books/, max-age: 1d }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0].max-age: unknown key"
            + " (expected one of: path, fresh-for, offline)");
  }

  @Test
  void parse_overrideNotAMap_failsListingKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  overrides: [/books/]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0]: \"/books/\""
            + " (expected a map with keys: path, fresh-for, offline)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'\"yes\"' | \"yes\"", "1 | 1", "maybe | \"maybe\"", "[true] | a list"})
  void parse_overrideOfflineNotBoolean_failsShowingForm(String value, String described) {
    assertThatThrownBy(() -> parse(ORIGINS
        + "cache:\n  overrides:\n    - { path: /books/, offline: " + value + " }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0].offline: " + described + " (expected true or false)");
  }

  @Test
  void parse_overrideBadFreshFor_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS
        + "cache:\n  overrides:\n    - { path: /books/, fresh-for: 30 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0].fresh-for: 30 (expected a duration such as 10s or 500ms:"
            + " a whole number followed by ms, s, m, h or d)");
  }

  @Test
  void parse_overrideFreshForOutOfRange_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS
        + "cache:\n  overrides:\n    - { path: /books/, fresh-for: 400d }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.overrides[0].fresh-for: \"400d\" (expected a duration from 0s to 365d)");
  }

  // ---- disk tier

  @Test
  void parse_diskAbsent_isDisabled() {
    DiskConfig disk = parse(ORIGINS).cache().disk();

    assertThat(disk).isEqualTo(DiskConfig.DISABLED);
    assertThat(disk.enabled()).isFalse();
    assertThat(disk.path()).isNull();
    assertThat(disk.maxBytes()).isEqualTo(50L << 30);
  }

  @ParameterizedTest
  @ValueSource(strings = {"  disk:\n", "  disk: {}\n", "  disk: { path: ~ }\n"})
  void parse_diskWithoutPath_isDisabled(String disk) {
    assertThat(parse(ORIGINS + "cache:\n" + disk).cache().disk()).isEqualTo(DiskConfig.DISABLED);
  }

  @Test
  void parse_diskPathAndMaxBytesSet_readsValues() {
    DiskConfig disk = parse(ORIGINS + """
        cache:
          disk:
            path: /var/cache/textbook-gateway
            max-bytes: 1MiB
        """).cache().disk();

    assertThat(disk.enabled()).isTrue();
    assertThat(disk.path()).isEqualTo(Path.of("/var/cache/textbook-gateway"));
    assertThat(disk.maxBytes()).isEqualTo(1L << 20);
  }

  @Test
  void parse_diskPathOnly_usesDefaultMaxBytes() {
    DiskConfig disk = parse(ORIGINS + "cache:\n  disk: { path: cache/disk }\n").cache().disk();

    assertThat(disk).isEqualTo(new DiskConfig(Path.of("cache/disk"), 50L << 30));
  }

  @Test
  void parse_diskPathFromVariable_isSubstituted() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS
        + "cache:\n  disk: { path: \"${CACHE_DIR}/gateway\" }\n", Map.of("CACHE_DIR", "/srv"));

    assertThat(config.cache().disk().path()).isEqualTo(Path.of("/srv/gateway"));
  }

  @Test
  void parse_diskMaxBytesBelowMinimum_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS
        + "cache:\n  disk: { path: /var/cache/textbook-gateway, max-bytes: 10KiB }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.disk.max-bytes: \"10KiB\" (expected a size of at least 1MiB)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "'' | \"\"", "'  ' | \"  \"", "\"a\\nb\" | \"a\\nb\"", "[/a, /b] | a list"})
  void parse_badDiskPath_failsShowingForm(String path, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  disk:\n    path: " + path + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.disk.path: " + described + " (expected a directory path such as"
            + " /var/cache/textbook-gateway; leave cache.disk out to turn the disk tier off)");
  }

  @Test
  void parse_diskMaxBytesWithoutPath_failsNamingPath() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  disk: { max-bytes: 10GiB }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.disk.path: required when cache.disk.max-bytes is set (expected a"
            + " directory path such as /var/cache/textbook-gateway; leave cache.disk out to turn"
            + " the disk tier off)");
  }

  @Test
  void parse_unknownDiskKey_failsListingKnownKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  disk: { path: /srv, size: 1GiB }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.disk.size: unknown key (expected one of: path, max-bytes)");
  }
}
