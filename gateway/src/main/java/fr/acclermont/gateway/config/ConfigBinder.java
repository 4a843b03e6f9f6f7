package fr.acclermont.gateway.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Binds the parsed YAML tree to a {@link GatewayConfig}: the keys of each section, their defaults
 * and their allowed ranges. Sections are read in the order of {@link #KEYS} and the first error
 * wins. The origins are bound by {@link OriginsBinder}, the cache overrides by
 * {@link OverridesBinder}, prefetching by {@link PrefetchBinder}. Stateless and thread-safe.
 */
final class ConfigBinder {

  /** The top-level keys, in the order they are read and documented. */
  static final List<String> KEYS =
      List.of("school", "log-level", "server", "admin", "origins", "cache", "limits", "timeouts", "access-log",
          "entitlement", "prefetch");

  /** Timeouts above a day are mistakes; unbounded, they could overflow {@code toNanos()}. */
  static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  /** Freshness or staleness above a year is a typo, not a policy. */
  static final Duration MAX_LIFETIME = Duration.ofDays(365);


  private static final List<String> SERVER_KEYS =
      List.of("host", "port", "via", "io-threads", "tls", "redirect-to-https", "http2");
  private static final List<String> ADMIN_KEYS =
      List.of("host", "port", "token-file", "metrics-require-token");
  private static final List<String> CACHE_KEYS = List.of("name", "memory", "disk", "slice-size",
      "read-ahead-slices", "finish-unwatched-fetches", "heuristic-max-lifetime",
      "max-stale-on-error", "reload-revalidate-interval", "max-variants", "min-uses",
      "targeted-cache-control", "overrides");
  private static final List<String> MEMORY_KEYS = List.of("max-bytes", "max-object-bytes");
  private static final List<String> DISK_KEYS = List.of("path", "max-bytes");
  private static final List<String> LIMITS_KEYS =
      List.of("max-request-line", "max-header-bytes", "max-headers", "max-body-bytes");
  private static final List<String> TIMEOUTS_KEYS =
      List.of("request-header", "keep-alive", "shutdown", "request-body-min-rate", "request-body-rate-window",
          "idle-write");
  private static final List<String> ACCESS_LOG_KEYS = List.of("path");

  private static final int MAX_PORT = 65_535;
  /** More I/O threads than this is a typo, not a tuning. */
  private static final int MAX_IO_THREADS = 1024;
  private static final long MIN_SLICE_BYTES = 64L * 1024;
  private static final long MAX_SLICE_BYTES = 64L * 1024 * 1024;
  /** A smaller disk budget is a typo (10KiB for 10GiB): it could not hold one default slice. */
  private static final long MIN_DISK_BYTES = 1024L * 1024;
  /** Reading further ahead only holds memory and uplink for slices a client may never read. */
  private static final int MAX_READ_AHEAD_SLICES = 16;
  /** Reloads answered from a copy validated longer ago than this would no longer be reloads. */
  private static final Duration MAX_RELOAD_REVALIDATE_INTERVAL = Duration.ofHours(1);
  private static final long MIN_REQUEST_LINE_BYTES = 256;
  private static final long MIN_HEADER_BYTES = 1024;
  /** Any address: a listener on it conflicts with a listener on any other address. */
  private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]");

  private static final String SCHOOL_FORM = "a non-empty label on one line, such as default";
  private static final String HOST_FORM = "a host name or IP address, such as 0.0.0.0";
  private static final String TOKEN_FORM =
      "an HTTP token: letters, digits and !#$%&'*+-.^_`|~ only, such as ";
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";
  private static final String FIELD_NAME_FORM =
      "an HTTP field name other than Cache-Control: letters, digits and !#$%&'*+-.^_`|~ only,"
      + " such as Edge-Cache-Control";
  private static final String DISK_PATH_FORM = "a directory path such as"
      + " /var/cache/textbook-gateway; leave cache.disk out to turn the disk tier off";
  /** The access log's destinations that are not files. */
  private static final String STDOUT = "stdout";
  private static final String OFF = "off";
  private static final String ACCESS_LOG_PATH_FORM = "stdout, off, or a file path such as"
      + " /var/log/textbook-gateway/access.log";

  private ConfigBinder() {}

  /** What {@link #check} found: every error in file order of sections, notes, and the result. */
  record Checked(List<ConfigException> errors, List<String> notes, @Nullable GatewayConfig config,
      @Nullable CacheConfig cache) {}

  /** Reads the whole configuration from the document's root; the first error wins. */
  static GatewayConfig bind(ConfigReader root) {
    Checked checked = check(root);
    if (!checked.errors().isEmpty()) {
      throw checked.errors().get(0);
    }
    return checked.config();
  }

  /**
   * Reads the whole configuration, section by section: each wrong key read with a fallback, and
   * each unknown key, is collected and the reading goes on (so a section reports all of them), an
   * error that stops a section's reading (a structure, a check across keys) is collected too, and
   * the next section is still read, so that every section is checked. Within {@code origins}, each
   * item is read on its own. A section that needs another ({@code admin} the server's ports,
   * {@code entitlement} and {@code prefetch} the origins) is skipped with a note when that one
   * failed. Errors come in the order of {@link #KEYS}, so the first one is {@link #bind}'s.
   */
  static Checked check(ConfigReader document) {
    List<ConfigException> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ConfigReader root = document.collecting(errors); // every wrong key of a section, not only its first
    try {
      errors.addAll(root.unknownKeys(KEYS));
    } catch (ConfigException e) {
      return new Checked(List.of(e), notes, null, null);
    }
    String school = section(errors, () -> root.text("school", GatewayConfig.DEFAULT_SCHOOL, SCHOOL_FORM,
        text -> !text.isBlank() && text.chars().noneMatch(Character::isISOControl)));
    LogLevel logLevel = section(errors, () -> logLevel(root.child("log-level")));
    ServerConfig server = section(errors, () -> server(root.section("server", SERVER_KEYS)));
    AdminConfig admin = null;
    if (server != null) {
      admin = section(errors, () -> admin(root.section("admin", ADMIN_KEYS), server));
    } else if (root.child("admin").isPresent()) {
      notes.add("admin: not checked, since server has an error");
    }
    List<OriginConfig> origins = section(errors, () -> OriginsBinder.bind(root.child("origins"), errors::add));
    CacheConfig cache = section(errors, () -> cache(root.section("cache", CACHE_KEYS)));
    LimitsConfig limits = section(errors, () -> limits(root.section("limits", LIMITS_KEYS)));
    TimeoutsConfig timeouts = section(errors, () -> timeouts(root.section("timeouts", TIMEOUTS_KEYS)));
    AccessLogConfig accessLog =
        section(errors, () -> accessLog(root.section("access-log", ACCESS_LOG_KEYS)));
    List<EntitlementRuleConfig> entitlement = null;
    PrefetchConfig prefetch = null;
    if (origins != null) {
      entitlement = section(errors, () -> EntitlementBinder.bind(root.child("entitlement"), origins));
      prefetch = section(errors, () -> PrefetchBinder.bind(root.child("prefetch"), origins));
    } else {
      for (String dependent : List.of("entitlement", "prefetch")) {
        if (root.child(dependent).isPresent()) {
          notes.add(dependent + ": not checked, since origins has an error");
        }
      }
    }
    if (!errors.isEmpty()) {
      return new Checked(errors, notes, null, cache);
    }
    return new Checked(errors, notes, new GatewayConfig(school, server, admin, origins, cache, limits,
        timeouts, accessLog, entitlement, prefetch, logLevel), cache);
  }

  /**
   * Runs one section's binder: null, with its errors in {@code errors}, if it threw one or collected
   * any (a wrong key read with a fallback, an unknown key).
   */
  private static <T> @Nullable T section(List<ConfigException> errors, Supplier<T> binder) {
    int before = errors.size();
    try {
      T value = binder.get();
      return errors.size() == before ? value : null;
    } catch (ConfigException e) {
      errors.add(e);
      return null;
    }
  }

  /**
   * Reads the root logger's level: one of {@link LogLevel}'s names in any case, or null when the
   * key is absent (the level stays what {@code GATEWAY_LOG_LEVEL} or INFO made it).
   */
  private static @Nullable LogLevel logLevel(ConfigReader key) {
    if (!key.isPresent()) {
      return null;
    }
    return LogLevel.parse(key.text(LogLevel.FORM, text -> LogLevel.parse(text) != null));
  }

  private static ServerConfig server(ConfigReader server) {
    ServerConfig d = ServerConfig.defaults();
    String host = server.text("host", d.host(), HOST_FORM, ConfigBinder::isHost);
    ConfigReader portKey = server.child("port");
    boolean plainOff = portKey.isPresent() && portKey.describe().matches("\"?(?i:off)\"?|false");
    int port = plainOff ? ServerConfig.OFF : server.integer("port", d.port(), 0, MAX_PORT);
    String via = server.text("via", d.via(), TOKEN_FORM + d.via(), ConfigBinder::isToken);
    int ioThreads = server.integer("io-threads", d.ioThreads(), 0, MAX_IO_THREADS);
    ServerTlsConfig tls = ServerTlsBinder.bind(server.child("tls"), port);
    if (plainOff && tls == null) {
      throw portKey.fail(portKey.describe() + " (expected a port while server.tls is not set: off would"
          + " leave no listener)");
    }
    boolean redirect = server.bool("redirect-to-https", false);
    if (plainOff && redirect) {
      throw server.child("redirect-to-https").fail("true (expected false with server.port: off: there is no"
          + " plain listener to redirect from)");
    }
    if (redirect && tls == null) {
      ConfigReader key = server.child("redirect-to-https");
      throw key.fail("true (expected false without server.tls.port: there is no HTTPS listener to"
          + " redirect to)");
    }
    return new ServerConfig(host, port, via, ioThreads, tls, redirect, http2(server.child("http2")));
  }

  private static Http2Config http2(ConfigReader http2) {
    Http2Config d = Http2Config.defaults();
    if (!http2.isPresent()) {
      return d;
    }
    http2.map(Http2Config.KEYS);
    Duration window = http2.duration("reset-window", Duration.ofSeconds(d.resetWindowSeconds()),
        Duration.ofSeconds(1), Duration.ofHours(1));
    return new Http2Config(http2.bool("enabled", d.enabled()),
        http2.integer("max-concurrent-streams", d.maxConcurrentStreams(), 1, 100_000),
        (int) http2.size("max-header-list-size", d.maxHeaderListSize(), 1024, 1 << 24),
        (int) http2.size("initial-window-size", d.initialWindowSize(), 1024, Integer.MAX_VALUE),
        http2.integer("max-resets-per-window", d.maxResetsPerWindow(), 1, 1_000_000),
        (int) window.toSeconds(),
        http2.integer("max-queued-control-frames", d.maxQueuedControlFrames(), 1, 1_000_000));
  }

  private static AdminConfig admin(ConfigReader admin, ServerConfig server) {
    AdminConfig d = AdminConfig.defaults();
    String host = admin.text("host", d.host(), HOST_FORM, ConfigBinder::isHost);
    int portNumber = admin.integer("port", d.port(), 0, MAX_PORT);
    AdminToken token = AdminTokenBinder.token(admin.child("token-file"));
    AdminConfig config = new AdminConfig(host, portNumber, token,
        AdminTokenBinder.metricsRequireToken(admin.child("metrics-require-token"), token));
    boolean sameAddress = config.host().equals(server.host())
        || WILDCARD_HOSTS.contains(config.host()) || WILDCARD_HOSTS.contains(server.host());
    boolean clashesTls = server.tls() != null && config.port() == server.tls().port();
    if (config.port() != 0 && (config.port() == server.port() || clashesTls) && sameAddress) {
      ConfigReader port = admin.child("port");
      String value = port.isPresent() ? port.describe() : "the default " + config.port();
      String other = config.port() == server.port() ? "server.port, " + server.port()
          : "server.tls.port, " + config.port();
      throw port.fail(value + " (expected a port other than " + other
          + ", which listens on the same address)");
    }
    return config;
  }

  private static CacheConfig cache(ConfigReader cache) {
    CacheConfig d = CacheConfig.defaults();
    return new CacheConfig(
        cache.text("name", d.name(), TOKEN_FORM + d.name(), ConfigBinder::isToken),
        memory(cache.section("memory", MEMORY_KEYS)),
        disk(cache.section("disk", DISK_KEYS)),
        cache.size("slice-size", d.sliceSize(), MIN_SLICE_BYTES, MAX_SLICE_BYTES),
        cache.integer("read-ahead-slices", d.readAheadSlices(), 0, MAX_READ_AHEAD_SLICES),
        cache.bool("finish-unwatched-fetches", d.finishUnwatchedFetches()),
        cache.duration("heuristic-max-lifetime", d.heuristicMaxLifetime(), Duration.ZERO,
            MAX_LIFETIME),
        cache.duration("max-stale-on-error", d.maxStaleOnError(), Duration.ZERO, MAX_LIFETIME),
        cache.duration("reload-revalidate-interval", d.reloadRevalidateInterval(), Duration.ZERO,
            MAX_RELOAD_REVALIDATE_INTERVAL),
        cache.integer("max-variants", d.maxVariants(), 1, CacheConfig.MAX_VARIANTS),
        cache.integer("min-uses", d.minUses(), 1, CacheConfig.MAX_MIN_USES),
        cache.text("targeted-cache-control", d.targetedCacheControl(), FIELD_NAME_FORM,
            name -> isToken(name) && !name.equalsIgnoreCase("Cache-Control")),
        OverridesBinder.bind(cache.child("overrides")));
  }

  private static MemoryConfig memory(ConfigReader memory) {
    MemoryConfig d = MemoryConfig.defaults();
    long maxBytes = memory.size("max-bytes", d.maxBytes(), 1, Long.MAX_VALUE);
    long maxObjectBytes = memory.size("max-object-bytes", d.maxObjectBytes(), 1, Long.MAX_VALUE);
    if (maxObjectBytes > maxBytes) {
      ConfigReader maxObject = memory.child("max-object-bytes");
      String value = maxObject.isPresent()
          ? maxObject.describe()
          : "the default " + Sizes.format(maxObjectBytes);
      throw maxObject.fail(value + " (expected a size no larger than "
          + memory.child("max-bytes").path() + ", " + Sizes.format(maxBytes) + ")");
    }
    return new MemoryConfig(maxBytes, maxObjectBytes);
  }

  /**
   * Reads the disk tier: off without a path. Only the form is checked here; the directory itself
   * is checked by the disk tier at start-up.
   */
  private static DiskConfig disk(ConfigReader disk) {
    ConfigReader path = disk.child("path");
    String text = path.isPresent() ? path.text(DISK_PATH_FORM, ConfigBinder::isPath) : null;
    long maxBytes =
        disk.size("max-bytes", DiskConfig.DEFAULT_MAX_BYTES, MIN_DISK_BYTES, Long.MAX_VALUE);
    if (text == null) {
      // A budget without a directory means the operator believes the tier is on: say it is not.
      if (disk.child("max-bytes").isPresent()) {
        throw path.fail("required when " + disk.child("max-bytes").path() + " is set (expected "
            + DISK_PATH_FORM + ")");
      }
      return DiskConfig.DISABLED;
    }
    return new DiskConfig(Path.of(text), maxBytes);
  }

  private static LimitsConfig limits(ConfigReader limits) {
    LimitsConfig d = LimitsConfig.defaults();
    return new LimitsConfig(
        (int) limits.size("max-request-line", d.maxRequestLine(), MIN_REQUEST_LINE_BYTES,
            Integer.MAX_VALUE),
        (int) limits.size("max-header-bytes", d.maxHeaderBytes(), MIN_HEADER_BYTES,
            Integer.MAX_VALUE),
        limits.integer("max-headers", d.maxHeaders(), 1, Integer.MAX_VALUE),
        limits.size("max-body-bytes", d.maxBodyBytes(), 0, Long.MAX_VALUE));
  }

  private static TimeoutsConfig timeouts(ConfigReader timeouts) {
    TimeoutsConfig d = TimeoutsConfig.defaults();
    Duration min = Duration.ofMillis(1);
    return new TimeoutsConfig(
        timeouts.duration("request-header", d.requestHeader(), min, MAX_TIMEOUT),
        timeouts.duration("keep-alive", d.keepAlive(), min, MAX_TIMEOUT),
        timeouts.duration("shutdown", d.shutdown(), Duration.ZERO, MAX_TIMEOUT),
        timeouts.rate("request-body-min-rate", d.requestBodyMinRate(), 0, 1L << 30),
        timeouts.duration("request-body-rate-window", d.requestBodyRateWindow(), min, MAX_TIMEOUT),
        timeouts.duration("idle-write", d.idleWrite(), min, MAX_TIMEOUT));
  }

  /**
   * Reads the access log's destination: {@code stdout} (the default), {@code off}, or a file. The
   * words are taken in any case, so that {@code OFF} never creates a file of that name; a file
   * really named so is written {@code ./off}. YAML reads a bare {@code off} (or {@code no}) as the
   * boolean false, which is taken as off too; true is refused. Only the form is checked here; the
   * file is opened at start-up.
   */
  private static AccessLogConfig accessLog(ConfigReader accessLog) {
    String path = accessLog.text("path", STDOUT, ACCESS_LOG_PATH_FORM,
        text -> isPath(text) && !text.equalsIgnoreCase("true"));
    if (path.equalsIgnoreCase(STDOUT)) {
      return AccessLogConfig.STDOUT;
    }
    if (path.equalsIgnoreCase(OFF) || path.equalsIgnoreCase("false")) {
      return AccessLogConfig.OFF;
    }
    return AccessLogConfig.file(Path.of(path));
  }

  private static boolean isHost(String text) {
    return !text.isEmpty() && text.chars().noneMatch(c -> c <= ' ' || c == '/' || c == 0x7f);
  }

  /** Whether {@code text} is a non-blank path on one line that this platform can represent. */
  static boolean isPath(String text) {
    if (text.isBlank() || text.chars().anyMatch(Character::isISOControl)) {
      return false;
    }
    try {
      Path.of(text);
      return true;
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** Whether {@code text} is an HTTP token (RFC 9110 section 5.6.2). */
  static boolean isToken(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c < 0x7f
        && (Character.isLetterOrDigit(c) || TOKEN_CHARS.indexOf(c) >= 0));
  }
}
