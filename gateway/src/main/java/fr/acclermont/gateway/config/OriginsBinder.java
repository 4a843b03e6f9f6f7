package fr.acclermont.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Binds the {@code origins} list: each origin's keys and defaults, its URL, and the rules that span
 * origins (unique names, each path prefix in one origin only). Stateless and thread-safe.
 */
final class OriginsBinder {

  /** The keys of one origin, in the order they are read and documented. */
  static final List<String> KEYS = List.of("name", "url", "paths", "connect-timeout",
      "response-timeout", "idle-timeout", "max-idle-connections", "max-fetches", "tls", "parents");
  /** The keys of an origin's {@code tls} section. */
  static final List<String> TLS_KEYS = List.of("ca-file", "verify");

  /** More fetches in flight to one origin than this is a typo, not a tuning. */
  private static final int MAX_FETCHES = 1024;
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
  private static final String ORIGINS_FORM =
      "a list of at least one origin, each with a name and a url";
  private static final String NAME_FORM =
      "a name of lowercase letters, digits, _ and -, such as cloud";
  private static final String URL_EXAMPLE = "http://127.0.0.1:8000";
  private static final String URL_FORM = "an http or https URL such as " + URL_EXAMPLE;
  private static final String CA_FILE_FORM = "a readable PEM file of CA certificates";
  private static final String PATHS_FORM = "a list of path prefixes such as [\"/\"]";
  private static final String PARENTS_FORM =
      "a list of parent URLs such as [\"http://academie.example:8080\"]";
  /** More parents than this is a typo, not a tier: a cluster sits behind one HAProxy URL. */
  private static final int MAX_PARENTS = 16;
  /** The form of a request path prefix, as quoted in error messages. */
  static final String PREFIX_FORM = "a path prefix starting with /, such as /books/";

  private OriginsBinder() {}

  /** Reads the origins; the list is required and may not be empty. The first error wins. */
  static List<OriginConfig> bind(ConfigReader origins) {
    return bind(origins, e -> {
      throw e;
    });
  }

  /**
   * Reads the origins, each item on its own: an item's error goes to {@code errors} and the next
   * item is still read (for {@code check}). Returns null if any item failed; a missing or empty
   * list still throws.
   */
  static @Nullable List<OriginConfig> bind(ConfigReader origins, Consumer<ConfigException> errors) {
    if (!origins.isPresent()) {
      throw origins.fail("required (expected " + ORIGINS_FORM + ")");
    }
    List<ConfigReader> items = origins.items(ORIGINS_FORM);
    if (items.isEmpty()) {
      throw origins.fail(origins.describe() + " (expected " + ORIGINS_FORM + ")");
    }
    Map<String, String> pathOfName = new HashMap<>();
    Map<String, String> originOfPrefix = new HashMap<>();
    List<OriginConfig> result = new ArrayList<>(items.size());
    boolean failed = false;
    for (ConfigReader item : items) {
      try {
        OriginConfig origin = origin(item.map(KEYS));
        String previous = pathOfName.putIfAbsent(origin.name(), item.path());
        if (previous != null) {
          throw item.child("name").fail(Messages.quote(origin.name())
              + " (expected a unique name; " + previous + " already uses it)");
        }
        claimPrefixes(item.child("paths"), origin, originOfPrefix);
        result.add(origin);
      } catch (ConfigException e) {
        errors.accept(e);
        failed = true;
      }
    }
    return failed ? null : result;
  }

  private static OriginConfig origin(ConfigReader origin) {
    ConfigReader name = origin.child("name");
    if (!name.isPresent()) {
      throw name.fail("required (expected " + NAME_FORM + ")");
    }
    Duration min = Duration.ofMillis(1);
    Duration max = ConfigBinder.MAX_TIMEOUT;
    String originName = name.text(NAME_FORM, text -> NAME.matcher(text).matches());
    URI url = url(origin.child("url"));
    List<URI> parents = parents(origin.child("parents"), url);
    OriginTlsConfig tls = tls(origin.child("tls"), url, parents);
    return new OriginConfig(
        originName,
        url,
        paths(origin.child("paths")),
        origin.duration("connect-timeout", OriginConfig.DEFAULT_CONNECT_TIMEOUT, min, max),
        origin.duration("response-timeout", OriginConfig.DEFAULT_RESPONSE_TIMEOUT, min, max),
        origin.duration("idle-timeout", OriginConfig.DEFAULT_IDLE_TIMEOUT, min, max),
        origin.integer("max-idle-connections", OriginConfig.DEFAULT_MAX_IDLE_CONNECTIONS, 0,
            Integer.MAX_VALUE),
        origin.integer("max-fetches", OriginConfig.DEFAULT_MAX_FETCHES, 1, MAX_FETCHES),
        tls,
        parents);
  }

  /**
   * Reads an origin's {@code parents}: URLs of the same form as {@code url}, each listed once, none
   * the origin itself (asked last anyway: listed as a parent it would be asked twice).
   */
  private static List<URI> parents(ConfigReader parents, URI origin) {
    if (!parents.isPresent()) {
      return List.of();
    }
    List<ConfigReader> items = parents.items(PARENTS_FORM);
    if (items.isEmpty() || items.size() > MAX_PARENTS) {
      throw parents.fail(parents.describe() + " (expected " + PARENTS_FORM + ", 1 to " + MAX_PARENTS
          + " of them)");
    }
    List<URI> result = new ArrayList<>(items.size());
    for (ConfigReader item : items) {
      URI parent = url(item);
      if (parent.equals(origin)) {
        throw item.fail(item.describe() + " (expected a parent cache, not the origin's own url:"
            + " the origin is asked when every parent is down)");
      }
      if (result.contains(parent)) {
        throw item.fail(item.describe() + " (expected each parent listed once)");
      }
      result.add(parent);
    }
    return List.copyOf(result);
  }

  /**
   * Reads an origin's {@code tls} section, which also applies to its {@code https} parents: refused
   * when nothing is reached over TLS (the operator believes the link is encrypted: say it is not).
   * The CA file is read here, so that a missing, unreadable or damaged bundle stops start-up naming
   * its key, not the first handshake.
   */
  private static OriginTlsConfig tls(ConfigReader tls, URI url, List<URI> parents) {
    if (!tls.isPresent()) {
      return OriginTlsConfig.DEFAULT;
    }
    if (!"https".equals(url.getScheme()) && parents.stream().noneMatch(p -> "https".equals(p.getScheme()))) {
      throw tls.fail(tls.describe() + " (expected no tls keys on an http origin; write an https url"
          + " to reach the origin over TLS)");
    }
    tls.map(TLS_KEYS);
    ConfigReader caFile = tls.child("ca-file");
    Path file = null;
    List<X509Certificate> certificates = List.of();
    if (caFile.isPresent()) {
      file = Path.of(caFile.text(CA_FILE_FORM, ConfigBinder::isPath));
      try {
        certificates = PemCertificates.read(file);
      } catch (IllegalArgumentException e) {
        throw caFile.fail(caFile.describe() + " (expected " + CA_FILE_FORM + "; " + e.getMessage()
            + ")");
      }
    }
    return new OriginTlsConfig(file, certificates, tls.bool("verify", true));
  }

  /**
   * Reads an origin URL: {@code http} or {@code https}, a host, an optional port and base path, no
   * user info, query or fragment. Returns it with a lowercase scheme and without trailing slashes.
   */
  private static URI url(ConfigReader url) {
    if (!url.isPresent()) {
      throw url.fail("required (expected " + URL_FORM + ")");
    }
    String text = url.text(URL_FORM, value -> true);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw url.fail(url.describe() + " (expected " + URL_FORM + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque()) {
      throw url.fail(url.describe() + " (expected " + URL_FORM + ")");
    }
    if (uri.getHost() == null) {
      throw url.fail(url.describe() + " (expected an http URL with a host, such as "
          + URL_EXAMPLE + ")");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      throw url.fail(url.describe() + " (expected an http URL with a port from 1 to 65535, such as "
          + URL_EXAMPLE + ")");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw url.fail(url.describe() + " (expected an http URL without user, query or fragment,"
          + " such as " + URL_EXAMPLE + "/base)");
    }
    String normalized = scheme + text.substring(scheme.length()).replaceFirst("/+$", "");
    return URI.create(normalized);
  }

  private static List<String> paths(ConfigReader paths) {
    if (!paths.isPresent()) {
      return OriginConfig.DEFAULT_PATHS;
    }
    List<ConfigReader> items = paths.items(PATHS_FORM);
    if (items.isEmpty()) {
      throw paths.fail(paths.describe() + " (expected " + PATHS_FORM + ")");
    }
    List<String> result = new ArrayList<>(items.size());
    for (ConfigReader item : items) {
      result.add(item.text(PREFIX_FORM, OriginsBinder::isPrefix));
    }
    return result;
  }

  /** Records each prefix of {@code origin}, failing if an origin (this one included) has it. */
  private static void claimPrefixes(ConfigReader paths, OriginConfig origin,
      Map<String, String> originOfPrefix) {
    for (int i = 0; i < origin.paths().size(); i++) {
      String prefix = origin.paths().get(i);
      String owner = originOfPrefix.putIfAbsent(prefix, origin.name());
      if (owner == null) {
        continue;
      }
      String detail = " (expected a prefix listed only once; origin " + owner + " already lists "
          + Messages.quote(prefix) + ")";
      if (!paths.isPresent()) {
        throw paths.fail("the default [\"/\"]" + detail);
      }
      ConfigReader item = paths.items(PATHS_FORM).get(i);
      throw item.fail(item.describe() + detail);
    }
  }

  /** Whether {@code text} starts with {@code /} and has no space, control character, ? or #. */
  static boolean isPrefix(String text) {
    return text.startsWith("/")
        && text.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#' || c == 0x7f);
  }
}
