package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
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

/**
 * {@link ConfigLoader} as a whole: the documented defaults, every key read, the structure of the
 * document (unknown keys, a list or a map or text where another is expected), YAML errors reported
 * on one line with their position, and reading the file itself. Each section of the configuration
 * has its own test class beside this one: {@link ConfigVariablesTest}, {@link ConfigValuesTest},
 * {@link ConfigCacheTest}, {@link ConfigAccessLogTest} and {@link ConfigOriginsTest}.
 */
class ConfigLoaderTest {

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
        timeouts: { request-header: 1s, keep-alive: 1d, shutdown: 0s, request-body-min-rate: 512/s,
                    request-body-rate-window: 5s, idle-write: 2m }
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
            Duration.ZERO, Duration.ofDays(365), Duration.ofHours(1), 32, 1,
            new PathOverrides(List.of(new PathOverride("/books/v/", Duration.ofDays(30), false),
                new PathOverride("/books/", null, true)))),
        new LimitsConfig(256, 1024, 1, 0),
        new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofDays(1), Duration.ZERO, 512, Duration.ofSeconds(5),
            Duration.ofMinutes(2)),
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

  // ---- unknown keys and wrong types

  @Test
  void parse_unknownTopLevelKey_failsListingKnownKeys() {
    assertThatThrownBy(() -> parse("schol: x\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("schol: unknown key"
            + " (expected one of: school, log-level, server, admin, origins, cache, limits, timeouts,"
            + " access-log, entitlement, prefetch)");
  }

  @Test
  void parse_unknownNestedKey_failsNamingDottedPath() {
    assertThatThrownBy(() -> parse(ORIGINS + "cache:\n  memroy:\n    max-bytes: 1GiB\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cache.memroy: unknown key (expected one of: name, memory, disk,"
            + " slice-size, read-ahead-slices, finish-unwatched-fetches, heuristic-max-lifetime,"
            + " max-stale-on-error, reload-revalidate-interval, max-variants, min-uses,"
            + " targeted-cache-control, overrides)");
  }

  @Test
  void parse_unknownKeyInListItem_failsNamingIndex() {
    assertThatThrownBy(() -> parse(ORIGINS + "  - name: media\n    ur: http://media\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("origins[1].ur: unknown key (expected one of: name, url, paths,"
            + " connect-timeout, response-timeout, idle-timeout, max-idle-connections,"
            + " max-fetches, tls, parents)");
  }

  @Test
  void parse_listWhereMapExpected_failsNamingExpectedKeys() {
    assertThatThrownBy(() -> parse("server: [0.0.0.0, 8080]\n" + ORIGINS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server: a list (expected a map with keys: host, port, via, io-threads, tls, redirect-to-https, http2)");
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
            + " school, log-level, server, admin, origins, cache, limits, timeouts, access-log, entitlement,"
            + " prefetch)");
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
}
