package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks that {@code config/gateway.yaml} documents every key with exactly the defaults. An
 * optional section that is off by default ({@code cache.disk}) is documented as one commented-out
 * line, {@code # key: value}, that must give the documented values once uncommented. The example
 * of {@code cache.overrides}, commented out above its empty default, must give the documented
 * overrides once uncommented.
 */
class DefaultConfigFileTest {

  /** Surefire runs in the gateway module's directory. */
  private static final Path DEFAULT_FILE = Path.of("../config/gateway.yaml");

  /** The keys documented commented out, because they are off by default. */
  private static final List<String> COMMENTED_OUT_KEYS = List.of("disk");

  /** The disk tier as documented in the commented-out {@code cache.disk} line. */
  static final DiskConfig DOCUMENTED_DISK =
      new DiskConfig(Path.of("/var/cache/textbook-gateway"), 50L << 30);

  /** The overrides of the commented-out example above {@code overrides: []}. */
  static final PathOverrides DOCUMENTED_OVERRIDES = new PathOverrides(List.of(
      new PathOverride("/books/v/", Duration.ofDays(30), false),
      new PathOverride("/books/", null, true)));

  /**
   * The commented-out example of {@code cache.overrides} ({@code # overrides:} then items
   * {@code #   - ...}) right above the default {@code overrides: []}.
   */
  private static final Pattern OVERRIDES_EXAMPLE = Pattern.compile(
      "(?m)^( *)# overrides:\\n((?:\\1#   - .*\\n)+)\\1overrides: \\[]$");

  /** The documented defaults, written out value by value. */
  static final GatewayConfig DOCUMENTED_DEFAULTS = new GatewayConfig(
      "default",
      new ServerConfig("0.0.0.0", 8080, "textbook-gateway", 0),
      new AdminConfig("127.0.0.1", 9090),
      List.of(new OriginConfig("cloud", URI.create("http://127.0.0.1:8000"), List.of("/"),
          Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), 32, 64)),
      new CacheConfig("edge", new MemoryConfig(512L << 20, 64L << 20),
          new DiskConfig(null, 50L << 30), 1L << 20, 1, true, Duration.ofDays(1),
          Duration.ofDays(7), Duration.ofSeconds(5), 32, 1, PathOverrides.NONE),
      new LimitsConfig(8 << 10, 16 << 10, 100, 10L << 20),
      new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10), 1024,
          Duration.ofSeconds(10), Duration.ofSeconds(60)),
      AccessLogConfig.STDOUT, List.of(),
      new PrefetchConfig(List.of(), List.of(), 2_500_000, java.time.ZoneId.systemDefault(), "gzip, deflate, br",
          Duration.ofHours(1)));

  /**
   * The commented-out examples of {@code prefetch.lists} and {@code prefetch.windows}, each right
   * above its default ({@code []}).
   */
  private static final Pattern PREFETCH_EXAMPLE = Pattern.compile("(?m)^( *)# ((lists|windows): \\[.*)\\n\\1\\3: \\[]$");

  @Test
  void load_defaultFile_givesDocumentedDefaults() {
    assertThat(ConfigLoader.load(DEFAULT_FILE, Map.of())).isEqualTo(DOCUMENTED_DEFAULTS);
  }

  @Test
  void withDefaults_cloudOrigin_givesDocumentedDefaults() {
    GatewayConfig config = GatewayConfig.withDefaults(
        List.of(OriginConfig.withDefaults("cloud", URI.create("http://127.0.0.1:8000"))));

    assertThat(config).isEqualTo(DOCUMENTED_DEFAULTS);
  }

  @Test
  void defaultFile_disk_isOff() {
    assertThat(ConfigLoader.load(DEFAULT_FILE, Map.of()).cache().disk().enabled()).isFalse();
  }

  @Test
  void defaultFile_commentedOutKeysUncommented_giveDocumentedValues() throws IOException {
    GatewayConfig config = ConfigLoader.parse(uncommented(), Map.of());

    assertThat(config.cache().disk()).isEqualTo(DOCUMENTED_DISK);
    assertThat(config.cache().disk().enabled()).isTrue();
  }

  @Test
  void defaultFile_everyKey_isWrittenOut() throws IOException {
    JsonNode root = new YAMLMapper().readTree(uncommented());

    assertThat(leafPaths(root, "")).containsExactly(
        "school",
        "server.host", "server.port", "server.via", "server.io-threads",
        "admin.host", "admin.port",
        "origins[0].name", "origins[0].url", "origins[0].paths[0]",
        "origins[0].connect-timeout", "origins[0].response-timeout", "origins[0].idle-timeout",
        "origins[0].max-idle-connections", "origins[0].max-fetches",
        "cache.name", "cache.memory.max-bytes", "cache.memory.max-object-bytes",
        "cache.disk.path", "cache.disk.max-bytes",
        "cache.slice-size", "cache.read-ahead-slices", "cache.finish-unwatched-fetches",
        "cache.heuristic-max-lifetime", "cache.max-stale-on-error",
        "cache.reload-revalidate-interval", "cache.max-variants", "cache.min-uses",
        "cache.targeted-cache-control", "cache.overrides",
        "limits.max-request-line", "limits.max-header-bytes", "limits.max-headers",
        "limits.max-body-bytes",
        "timeouts.request-header", "timeouts.keep-alive", "timeouts.shutdown",
        "timeouts.request-body-min-rate", "timeouts.request-body-rate-window", "timeouts.idle-write",
        "access-log.path", "entitlement.rules",
        "prefetch.lists", "prefetch.windows", "prefetch.max-rate", "prefetch.time-zone",
        "prefetch.accept-encoding", "prefetch.list-refresh");
  }

  @Test
  void defaultFile_overrides_isEmpty() {
    assertThat(ConfigLoader.load(DEFAULT_FILE, Map.of()).cache().overrides())
        .isEqualTo(PathOverrides.NONE);
  }

  @Test
  void defaultFile_overridesExampleUncommented_givesDocumentedOverrides() throws IOException {
    String yaml = Files.readString(DEFAULT_FILE, StandardCharsets.UTF_8);
    Matcher example = OVERRIDES_EXAMPLE.matcher(yaml);
    assertThat(example.find()).as("the commented-out example of overrides").isTrue();
    String items = example.group(2).replaceAll("(?m)^( *)# ", "$1");

    PathOverrides overrides = ConfigLoader.parse(
        example.replaceFirst(Matcher.quoteReplacement(example.group(1) + "overrides:\n" + items)),
        Map.of()).cache().overrides();

    assertThat(overrides).isEqualTo(DOCUMENTED_OVERRIDES);
    assertThat(overrides.find("/books/v/12/page-3.pdf")).isEqualTo(overrides.list().get(0));
    assertThat(overrides.find("/books/manifest.json")).isEqualTo(overrides.list().get(1));
  }

  @Test
  void defaultFile_prefetch_isOff() {
    assertThat(ConfigLoader.load(DEFAULT_FILE, Map.of()).prefetch().enabled()).isFalse();
  }

  @Test
  void defaultFile_prefetchExamplesUncommented_giveTheirListsAndWindows() throws IOException {
    String yaml = Files.readString(DEFAULT_FILE, StandardCharsets.UTF_8)
        .replace("url: http://127.0.0.1:8000", "url: https://manuels.academie.example/textbooks");
    Matcher examples = PREFETCH_EXAMPLE.matcher(yaml);
    assertThat(examples.results().count()).as("the commented-out examples of lists and windows").isEqualTo(2);

    PrefetchConfig prefetch = ConfigLoader.parse(examples.replaceAll("$1$2"), Map.of()).prefetch();

    assertThat(prefetch.lists()).containsExactly("/etc/textbook-gateway/prefetch.txt",
        "https://manuels.academie.example/lists/0630001A.txt");
    assertThat(prefetch.windows()).containsExactly(PrefetchWindow.parse("18:00-07:00"),
        PrefetchWindow.parse("wed 13:00-18:00"));
    assertThat(prefetch.enabled()).isTrue();
  }

  /**
   * Returns the default file with each of {@link #COMMENTED_OUT_KEYS} uncommented: the single line
   * {@code <indent># key: value} becomes {@code <indent>key: value}.
   */
  private static String uncommented() throws IOException {
    String yaml = Files.readString(DEFAULT_FILE, StandardCharsets.UTF_8);
    for (String key : COMMENTED_OUT_KEYS) {
      Pattern line = Pattern.compile("(?m)^( *)# (" + Pattern.quote(key) + ": .*)$");
      assertThat(line.matcher(yaml).results().count())
          .as("commented-out lines \"# %s: ...\" in %s", key, DEFAULT_FILE)
          .isEqualTo(1);
      yaml = line.matcher(yaml).replaceFirst("$1$2");
    }
    return yaml;
  }

  /** The paths of the scalars, and of the empty lists and maps, under {@code node}. */
  private static List<String> leafPaths(JsonNode node, String path) {
    List<String> paths = new ArrayList<>();
    if (node.isContainerNode() && node.isEmpty()) {
      paths.add(path);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String key = field.getKey();
        paths.addAll(leafPaths(field.getValue(), path.isEmpty() ? key : path + "." + key));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        paths.addAll(leafPaths(node.get(i), path + "[" + i + "]"));
      }
    } else {
      paths.add(path);
    }
    return paths;
  }
}
