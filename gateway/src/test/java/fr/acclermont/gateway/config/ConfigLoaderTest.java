package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  private static final String ORIGINS = """
      origins:
        - name: cloud
          url: http://127.0.0.1:8000
      """;

  // ---- defaults and values

  @Test
  void parse_onlyOrigins_givesDocumentedDefaults() {
    assertThat(parse(ORIGINS)).isEqualTo(DefaultConfigFileTest.DOCUMENTED_DEFAULTS);
  }

  @Test
  void parse_everyKeySet_readsEveryValue() {
    GatewayConfig config = parse("""
        school: lycee-blaise-pascal
        server: { host: 10.0.0.5, port: 80, via: gw-63, io-threads: 4 }
        admin: { host: 0.0.0.0, port: 0 }
        origins:
          - name: cloud
            url: http://cloud.example:8000/textbooks/
            paths: [/books/, /blobs/]
            connect-timeout: 500ms
            response-timeout: 1m
            idle-timeout: 2h
            max-idle-connections: 0
            max-fetches: 1
          - name: media_2
            url: http://media.example
            paths: ["/video/"]
        cache:
          name: school-cache
          memory: { max-bytes: 2GiB, max-object-bytes: 1048576 }
          disk: { path: /srv/cache, max-bytes: 100GiB }
          slice-size: 64KiB
          read-ahead-slices: 0
          finish-unwatched-fetches: false
          heuristic-max-lifetime: 0s
          max-stale-on-error: 365d
          reload-revalidate-interval: 1h
          overrides:
            - { path: /books/v/, fresh-for: 30d }
            - { path: /books/, offline: true }
        limits: { max-request-line: 256, max-header-bytes: 1KiB, max-headers: 1, max-body-bytes: 0 }
        timeouts: { request-header: 1s, keep-alive: 1d, shutdown: 0s }
        access-log: { path: /var/log/textbook-gateway/access.log }
        """);

    assertThat(config).isEqualTo(new GatewayConfig(
        "lycee-blaise-pascal",
        new ServerConfig("10.0.0.5", 80, "gw-63", 4),
        new AdminConfig("0.0.0.0", 0),
        List.of(
            new OriginConfig("cloud", URI.create("http://cloud.example:8000/textbooks"),
                List.of("/books/", "/blobs/"), Duration.ofMillis(500), Duration.ofMinutes(1),
                Duration.ofHours(2), 0, 1),
            new OriginConfig("media_2", URI.create("http://media.example"), List.of("/video/"),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), 32, OriginConfig.DEFAULT_MAX_FETCHES)),
        new CacheConfig("school-cache", new MemoryConfig(2L << 30, 1L << 20),
            new DiskConfig(Path.of("/srv/cache"), 100L << 30), 64L << 10, 0, false,
            Duration.ZERO, Duration.ofDays(365), Duration.ofHours(1),
            new PathOverrides(List.of(new PathOverride("/books/v/", Duration.ofDays(30), false),
                new PathOverride("/books/", null, true)))),
        new LimitsConfig(256, 1024, 1, 0),
        new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofDays(1), Duration.ZERO),
        AccessLogConfig.file(Path.of("/var/log/textbook-gateway/access.log"))));
  }

  @Test
  void parse_emptySections_giveDefaults() {
    GatewayConfig config =
        parse("server:\nadmin: {}\ncache:\n  memory:\n  disk: {}\naccess-log:\n" + ORIGINS);

    assertThat(config).isEqualTo(DefaultConfigFileTest.DOCUMENTED_DEFAULTS);
  }

  @Test
  void parse_urlWithTrailingSlashAndUppercaseScheme_storesNormalizedUrl() {
    GatewayConfig config = parse("""
        origins:
          - name: cloud
            url: HTTP://cloud.example:8000/base//
        """);

    assertThat(config.origins().get(0).url())
        .isEqualTo(URI.create("http://cloud.example:8000/base"));
  }

  @Test
  void parse_config_isImmutable() {
    GatewayConfig config = parse(ORIGINS);

    assertThatThrownBy(() -> config.origins().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.origins().get(0).paths().add("/x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- environment variables

  @Test
  void parse_setVariable_isSubstitutedBeforeTyping() {
    GatewayConfig config = ConfigLoader.parse("""
        server:
          port: ${GATEWAY_PORT}
        origins:
          - name: cloud
            url: http://${ORIGIN_HOST}:8000/${BASE}
        cache:
          memory:
            max-bytes: ${CACHE_SIZE}
        """, Map.of("GATEWAY_PORT", "8081", "ORIGIN_HOST", "cloud.example", "BASE", "v1",
        "CACHE_SIZE", "1GiB"));

    assertThat(config.server().port()).isEqualTo(8081);
    assertThat(config.origins().get(0).url()).isEqualTo(URI.create("http://cloud.example:8000/v1"));
    assertThat(config.cache().memory().maxBytes()).isEqualTo(1L << 30);
  }

  @Test
  void parse_unsetVariableWithDefault_usesDefault() {
    GatewayConfig config = ConfigLoader.parse("""
        server:
          port: ${GATEWAY_PORT:-8082}
          host: ${GATEWAY_HOST:-}127.0.0.1
        timeouts:
          shutdown: ${SHUTDOWN:-30s}
        """ + ORIGINS, Map.of());

    assertThat(config.server().port()).isEqualTo(8082);
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.timeouts().shutdown()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_setVariableWithDefault_usesVariable() {
    GatewayConfig config = ConfigLoader.parse("school: ${SCHOOL:-default}\n" + ORIGINS,
        Map.of("SCHOOL", "lycee-jeanne-d-arc"));

    assertThat(config.school()).isEqualTo("lycee-jeanne-d-arc");
  }

  @Test
  void parse_emptyVariableWithDefault_usesDefault() {
    GatewayConfig config = ConfigLoader.parse("school: ${SCHOOL:-default}\n" + ORIGINS,
        Map.of("SCHOOL", ""));

    assertThat(config.school()).isEqualTo("default");
  }

  @Test
  void parse_variableHoldingYaml_isTakenAsText() {
    GatewayConfig config = ConfigLoader.parse("school: ${SCHOOL}\n" + ORIGINS,
        Map.of("SCHOOL", "a: [b"));

    assertThat(config.school()).isEqualTo("a: [b");
  }

  @Test
  void parse_unsetVariable_failsNamingKeyAndVariable() {
    assertThatThrownBy(() -> parse("server:\n  port: ${GATEWAY_PORT}\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.port: environment variable GATEWAY_PORT is not set"
            + " (set it, or give a default as in ${GATEWAY_PORT:-value})");
  }

  @Test
  void parse_unterminatedPlaceholder_failsNamingKey() {
    assertThatThrownBy(() -> parse("school: ${SCHOOL\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("school: \"${SCHOOL\" has a ${ without its }"
            + " (expected ${NAME} or ${NAME:-default}, NAME made of letters, digits and _)");
  }

  @Test
  void parse_variableWithWrongType_failsShowingSubstitutedValue() {
    assertThatThrownBy(() -> ConfigLoader.parse("server:\n  port: ${PORT}\n" + ORIGINS,
        Map.of("PORT", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.port: \"http\" (expected an integer from 0 to 65535)");
  }

  // ---- unknown keys and wrong types

  @Test
  void parse_unknownTopLevelKey_failsListingKnownKeys() {
    assertThatThrownBy(() -> parse("schol: x\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("schol: unknown key"
            + " (expected one of: school, server, admin, origins, cache, limits, timeouts,"
            + " access-log)");
  }

  @Test
  void parse_unknownNestedKey_failsNamingDottedPath() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memroy:\n    max-bytes: 1GiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memroy: unknown key (expected one of: name, memory, disk,"
            + " slice-size, read-ahead-slices, finish-unwatched-fetches, heuristic-max-lifetime,"
            + " max-stale-on-error, reload-revalidate-interval, overrides)");
  }

  @Test
  void parse_unknownKeyInListItem_failsNamingIndex() {
    assertThatThrownBy(() -> parse(ORIGINS + "  - name: media\n    ur: http://media\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[1].ur: unknown key (expected one of: name, url, paths,"
            + " connect-timeout, response-timeout, idle-timeout, max-idle-connections,"
            + " max-fetches)");
  }

  @Test
  void parse_listWhereMapExpected_failsNamingExpectedKeys() {
    assertThatThrownBy(() -> parse("server: [0.0.0.0, 8080]\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server: a list (expected a map with keys: host, port, via, io-threads)");
  }

  @Test
  void parse_mapWhereListExpected_failsNamingExpectedForm() {
    assertThatThrownBy(() -> parse("origins:\n  name: cloud\n  url: http://127.0.0.1:8000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins: a map"
            + " (expected a list of at least one origin, each with a name and a url)");
  }

  @Test
  void parse_textWhereIntegerExpected_failsNamingExpectedForm() {
    assertThatThrownBy(() -> parse("server:\n  io-threads: many\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.io-threads: \"many\" (expected an integer from 0 to 1024)");
  }

  @Test
  void parse_textWhereListExpected_failsNamingExpectedForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "    paths: /books/\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].paths: \"/books/\""
            + " (expected a list of path prefixes such as [\"/\"])");
  }

  // ---- values

  @Test
  void parse_badSize_failsShowingValueAndForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memory:\n    max-bytes: lots\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-bytes: \"lots\" (expected a size such as 512MiB)");
  }

  @Test
  void parse_sizeOutOfRange_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  slice-size: 32KiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.slice-size: \"32KiB\" (expected a size from 64KiB to 64MiB)");
  }

  @Test
  void parse_zeroMemory_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memory:\n    max-bytes: 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-bytes: 0 (expected a size greater than 0)");
  }

  @Test
  void parse_durationWithoutUnit_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  keep-alive: 60\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.keep-alive: 60 (expected a duration such as 10s or 500ms:"
            + " a whole number followed by ms, s, m, h or d)");
  }

  @Test
  void parse_badDuration_failsShowingForm() {
    assertThatThrownBy(() -> parse(ORIGINS + "    connect-timeout: 5 seconds\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].connect-timeout: \"5 seconds\" (expected a duration such as 10s"
            + " or 500ms: a whole number followed by ms, s, m, h or d)");
  }

  @Test
  void parse_zeroTimeout_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "timeouts:\n  request-header: 0s\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("timeouts.request-header: \"0s\" (expected a duration from 1ms to 1d)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "99999999999999999999"})
  void parse_portOutOfRange_failsShowingRange(String port) {
    assertThatThrownBy(() -> parse("admin:\n  port: " + port + "\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.port: " + port + " (expected an integer from 0 to 65535)");
  }

  @Test
  void parse_adminPortEqualsServerPort_fails() {
    assertThatThrownBy(() -> parse("server:\n  port: 9090\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.port: the default 9090"
            + " (expected a port other than server.port, 9090, which listens on the same address)");
  }

  @Test
  void parse_viaWithSpace_failsShowingTokenForm() {
    assertThatThrownBy(() -> parse("server:\n  via: my gateway\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.via: \"my gateway\" (expected an HTTP token:"
            + " letters, digits and !#$%&'*+-.^_`|~ only, such as textbook-gateway)");
  }

  @Test
  void parse_maxObjectBytesAboveMaxBytes_failsNamingBothKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + """
        cache:
          memory:
            max-bytes: 256MiB
            max-object-bytes: 1GiB
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-object-bytes: \"1GiB\""
            + " (expected a size no larger than cache.memory.max-bytes, 256MiB)");
  }

  @Test
  void parse_defaultMaxObjectBytesAboveMaxBytes_failsSayingItIsTheDefault() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memory:\n    max-bytes: 32MiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memory.max-object-bytes: the default 64MiB"
            + " (expected a size no larger than cache.memory.max-bytes, 32MiB)");
  }

  @Test
  void parse_intSizeAboveIntRange_failsShowingRange() {
    assertThatThrownBy(() -> parse(ORIGINS + "limits:\n  max-header-bytes: 2GiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("limits.max-header-bytes: \"2GiB\" (expected a size from 1KiB to 2147483647)");
  }

  // ---- slice fetching

  @Test
  void parse_fetchKeysAbsent_giveDefaults() {
    GatewayConfig config = parse(ORIGINS);

    assertThat(config.origins().get(0).maxFetches()).isEqualTo(64);
    assertThat(config.cache().readAheadSlices()).isEqualTo(1);
    assertThat(config.cache().finishUnwatchedFetches()).isTrue();
  }

  @Test
  void parse_fetchKeysSet_readsValues() {
    GatewayConfig config = parse(ORIGINS + """
            max-fetches: 1024
        cache:
          read-ahead-slices: 16
          finish-unwatched-fetches: false
        """);

    assertThat(config.origins().get(0).maxFetches()).isEqualTo(1024);
    assertThat(config.cache().readAheadSlices()).isEqualTo(16);
    assertThat(config.cache().finishUnwatchedFetches()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1025", "1.5"})
  void parse_maxFetchesOutOfRange_failsShowingRange(String value) {
    assertThatThrownBy(() -> parse(ORIGINS + "    max-fetches: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].max-fetches: " + value + " (expected an integer from 1 to 1024)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "17", "true"})
  void parse_readAheadSlicesOutOfRange_failsShowingRange(String value) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  read-ahead-slices: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.read-ahead-slices: " + value + " (expected an integer from 0 to 16)");
  }

  @Test
  void parse_finishUnwatchedFetchesFromVariable_isTypedAfterSubstitution() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS
        + "cache:\n  finish-unwatched-fetches: ${FINISH:-true}\n", Map.of("FINISH", "false"));

    assertThat(config.cache().finishUnwatchedFetches()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"maybe | \"maybe\"", "1 | 1", "[true] | a list"})
  void parse_finishUnwatchedFetchesNotBoolean_failsShowingForm(String value, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  finish-unwatched-fetches: " + value + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.finish-unwatched-fetches: " + described + " (expected true or false)");
  }

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

  // ---- access log

  @Test
  void parse_accessLogAbsent_isStdout() {
    AccessLogConfig accessLog = parse(ORIGINS).accessLog();

    assertThat(accessLog).isEqualTo(AccessLogConfig.STDOUT);
    assertThat(accessLog.destination()).isEqualTo(AccessLogConfig.Destination.STDOUT);
    assertThat(accessLog.enabled()).isTrue();
    assertThat(accessLog.file()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"access-log:\n", "access-log: {}\n", "access-log: { path: ~ }\n",
      "access-log: { path: stdout }\n", "access-log: { path: STDOUT }\n"})
  void parse_accessLogStdoutOrWithoutPath_isStdout(String accessLog) {
    assertThat(parse(ORIGINS + accessLog).accessLog()).isEqualTo(AccessLogConfig.STDOUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "\"off\"", "Off", "OFF", "\"OFF\"", "no", "false", "\"false\""})
  void parse_accessLogOff_isOff(String path) {
    AccessLogConfig accessLog = parse(ORIGINS + "access-log: { path: " + path + " }\n").accessLog();

    assertThat(accessLog).isEqualTo(AccessLogConfig.OFF);
    assertThat(accessLog.enabled()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/var/log/textbook-gateway/access.log | /var/log/textbook-gateway/access.log",
      "logs/access.log | logs/access.log",
      "./off | ./off",
      "./stdout | ./stdout"})
  void parse_accessLogFile_readsPath(String path, String expected) {
    AccessLogConfig accessLog = parse(ORIGINS + "access-log:\n  path: " + path + "\n").accessLog();

    assertThat(accessLog).isEqualTo(AccessLogConfig.file(Path.of(expected)));
    assertThat(accessLog.destination()).isEqualTo(AccessLogConfig.Destination.FILE);
  }

  @Test
  void parse_accessLogPathFromVariable_isSubstituted() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS + "access-log: { path: \"${ACCESS_LOG:-stdout}\" }\n",
        Map.of("ACCESS_LOG", "/srv/log/access.log"));

    assertThat(config.accessLog()).isEqualTo(AccessLogConfig.file(Path.of("/srv/log/access.log")));
  }

  @Test
  void parse_accessLogPathFromUnsetVariableWithDefault_usesDefault() {
    GatewayConfig config =
        ConfigLoader.parse(ORIGINS + "access-log: { path: \"${ACCESS_LOG:-off}\" }\n", Map.of());

    assertThat(config.accessLog()).isEqualTo(AccessLogConfig.OFF);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "'' | \"\"", "'  ' | \"  \"", "\"a\\nb\" | \"a\\nb\"", "[/a, /b] | a list", "{ file: x } | a map",
      "on | true", "true | true", "\"TRUE\" | \"TRUE\""})
  void parse_badAccessLogPath_failsShowingForm(String path, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "access-log:\n  path: " + path + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("access-log.path: " + described + " (expected stdout, off, or a file path such as"
            + " /var/log/textbook-gateway/access.log)");
  }

  @Test
  void parse_unknownAccessLogKey_failsListingKnownKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + "access-log: { path: stdout, format: json }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("access-log.format: unknown key (expected one of: path)");
  }

  @Test
  void parse_accessLogNotAMap_failsListingKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + "access-log: /var/log/access.log\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("access-log: \"/var/log/access.log\" (expected a map with keys: path)");
  }

  @Test
  void accessLogConfig_fileWithoutFileDestination_refused() {
    assertThatThrownBy(() -> new AccessLogConfig(AccessLogConfig.Destination.STDOUT, Path.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccessLogConfig(AccessLogConfig.Destination.FILE, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- origins

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
            + "\" (expected an http URL such as http://127.0.0.1:8000)");
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

  @Test
  void parse_httpsUrl_failsSayingNotSupportedYet() {
    assertThatThrownBy(() -> parse(origin("https://cloud.example")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[0].url: \"https://cloud.example\" (https origins are not supported"
            + " yet; expected an http URL such as http://127.0.0.1:8000)");
  }

  // ---- YAML

  @Test
  void parse_yamlSyntaxError_failsWithLineAndColumn() {
    assertThatThrownBy(() -> parse("server:\n  port: 8080\n host: 0.0.0.0\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid YAML at line 3, column 2: expected <block end>, but found"
            + " '<block mapping start>'"
            + " (while parsing a block mapping started at line 1, column 1)");
  }

  @Test
  void parse_unclosedFlowList_failsOnOneLine() {
    assertThatThrownBy(() -> parse(ORIGINS + "    paths: [/books/\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid YAML at line 5, column 1: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void parse_duplicateKey_failsNamingKeyAndLine() {
    assertThatThrownBy(() -> parse("server:\n  port: 8080\n  port: 8081\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.port: duplicate key at line 3 (expected each key once per map)");
  }

  @Test
  void parse_documentNotAMap_failsNamingTopLevel() {
    assertThatThrownBy(() -> parse("- cloud\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("top level: a list (expected a map with keys:"
            + " school, server, admin, origins, cache, limits, timeouts, access-log)");
  }

  @Test
  void parse_multiLineValue_failsOnOneLine() {
    assertThatThrownBy(() -> parse("school: |\n  two\n  lines\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("school: \"two\\nlines\\n\""
            + " (expected a non-empty label on one line, such as default)");
  }

  // ---- files

  @Test
  void load_file_readsIt(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "\uFEFFschool: s1\n" + ORIGINS);

    assertThat(ConfigLoader.load(file, Map.of()).school()).isEqualTo("s1");
  }

  @Test
  void load_missingFile_failsNamingPath(@TempDir Path dir) {
    Path file = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cannot read configuration file " + file + ": no such file");
  }

  @Test
  void load_directory_failsNamingPath(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot read configuration file " + dir + ": ");
  }

  @Test
  void load_notUtf8_failsNamingPath(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'s', ':', ' ', (byte) 0xE9});

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cannot read configuration file " + file + ": not UTF-8 text");
  }

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, Map.of());
  }

  private static String origin(String url) {
    return "origins:\n  - name: cloud\n    url: \"" + url + "\"\n";
  }
}
