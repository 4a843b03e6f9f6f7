package fr.acclermont.gateway.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the {@code prefetch} section: the lists (files, or URLs on a configured origin), the
 * windows, the rate cap, the windows' time zone, the {@code Accept-Encoding} sent and how often a
 * list given by URL is fetched again. Stateless and thread-safe.
 */
final class PrefetchBinder {

  /** The keys of the section, in the order they are read and documented. */
  static final List<String> KEYS =
      List.of("lists", "windows", "max-rate", "time-zone", "accept-encoding", "list-refresh");

  /** The time zone word for the system's own. */
  static final String LOCAL_ZONE = "local";

  private static final String LISTS_FORM = "a list of file paths and http:// or https:// URLs";
  private static final String LIST_FORM =
      "a file path, or an http:// or https:// URL on a configured origin, such as /etc/textbook-gateway/prefetch.txt";
  private static final String WINDOWS_FORM = "a list of windows such as [\"18:00-07:00\", \"wed 13:00-18:00\"]";
  private static final String RATE_FORM = "a rate such as 20mbit, 2.5mbit or 2MiB/s, or 0 for no cap";
  private static final String ZONE_FORM = "local or a time zone such as Europe/Paris";
  private static final String ACCEPT_ENCODING_FORM =
      "an Accept-Encoding value of visible ASCII characters, such as gzip, deflate, br";
  /** {@code 20mbit}, {@code 2.5mbit}, {@code 500kbit}, {@code 1gbit}: decimal bits per second. */
  private static final Pattern BITS = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(kbit|mbit|gbit)");
  /** Below 8kbit a prefetch of one asset takes minutes: a typo. */
  private static final long MIN_RATE = 1000;
  private static final long MAX_RATE = 100_000_000_000L / 8;
  private static final Duration MIN_LIST_REFRESH = Duration.ofMinutes(1);
  private static final Duration MAX_LIST_REFRESH = Duration.ofDays(1);
  private static final int MAX_ACCEPT_ENCODING_CHARS = 256;

  private PrefetchBinder() {}

  /** Reads the section; absent, it is {@link PrefetchConfig#defaults()}. */
  static PrefetchConfig bind(ConfigReader prefetch, List<OriginConfig> origins) {
    prefetch.map(KEYS);
    PrefetchConfig d = PrefetchConfig.defaults();
    return new PrefetchConfig(
        lists(prefetch.child("lists"), origins),
        windows(prefetch.child("windows")),
        rate(prefetch.child("max-rate"), d.maxRate()),
        zone(prefetch.child("time-zone")),
        prefetch.text("accept-encoding", d.acceptEncoding(), ACCEPT_ENCODING_FORM, PrefetchBinder::isFieldValue),
        prefetch.duration("list-refresh", d.listRefresh(), MIN_LIST_REFRESH, MAX_LIST_REFRESH));
  }

  private static List<String> lists(ConfigReader lists, List<OriginConfig> origins) {
    if (!lists.isPresent()) {
      return List.of();
    }
    List<String> result = new ArrayList<>();
    for (ConfigReader item : lists.items(LISTS_FORM)) {
      String text = item.text(LIST_FORM, PrefetchBinder::isListLocation);
      if (isUrl(text) && !onOrigin(URI.create(text), origins)) {
        throw item.fail(item.describe() + " (expected a URL on a configured origin: its host and port are no"
            + " origin's)");
      }
      result.add(text);
    }
    return result;
  }

  private static List<PrefetchWindow> windows(ConfigReader windows) {
    if (!windows.isPresent()) {
      return List.of();
    }
    List<PrefetchWindow> result = new ArrayList<>();
    for (ConfigReader item : windows.items(WINDOWS_FORM)) {
      String text = item.text(PrefetchWindow.FORM, t -> true);
      try {
        result.add(PrefetchWindow.parse(text));
      } catch (IllegalArgumentException e) {
        throw item.fail(item.describe() + " (expected " + PrefetchWindow.FORM + ")");
      }
    }
    return result;
  }

  /**
   * Reads a rate: decimal bits per second ({@code 20mbit}, {@code 2.5mbit}, {@code 500kbit},
   * {@code 1gbit}), a size per second ({@code 2MiB/s}), plain bytes per second, or 0 for no cap.
   */
  private static long rate(ConfigReader rate, long fallback) {
    if (!rate.isPresent()) {
      return fallback;
    }
    String text = rate.text(RATE_FORM, t -> true);
    long bytesPerSecond;
    try {
      bytesPerSecond = parseRate(text);
    } catch (IllegalArgumentException e) {
      throw rate.fail(rate.describe() + " (expected " + RATE_FORM + ")");
    }
    if (bytesPerSecond != 0 && (bytesPerSecond < MIN_RATE || bytesPerSecond > MAX_RATE)) {
      throw rate.fail(rate.describe() + " (expected 0 for no cap, or a rate from 8kbit to 100gbit)");
    }
    return bytesPerSecond;
  }

  /** A rate in bytes per second; bits are decimal ({@code 1mbit} = 125,000 bytes per second). */
  static long parseRate(String text) {
    Matcher bits = BITS.matcher(text);
    if (bits.matches()) {
      long bitsPerUnit = switch (bits.group(2)) {
        case "kbit" -> 1_000L;
        case "mbit" -> 1_000_000L;
        default -> 1_000_000_000L;
      };
      BigDecimal bytes = new BigDecimal(bits.group(1)).multiply(BigDecimal.valueOf(bitsPerUnit))
          .divide(BigDecimal.valueOf(8), java.math.RoundingMode.HALF_UP);
      if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(text);
      }
      return bytes.longValue();
    }
    return Sizes.parse(text.endsWith("/s") ? text.substring(0, text.length() - 2) : text);
  }

  private static ZoneId zone(ConfigReader zone) {
    String text = zone.isPresent() ? zone.text(ZONE_FORM, t -> !t.isBlank()) : LOCAL_ZONE;
    if (text.equalsIgnoreCase(LOCAL_ZONE)) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw zone.fail(zone.describe() + " (expected " + ZONE_FORM + ")");
    }
  }

  private static boolean isListLocation(String text) {
    if (!isUrl(text)) {
      return ConfigBinder.isPath(text) && !text.contains("://");
    }
    try {
      URI uri = new URI(text);
      return uri.getHost() != null && uri.getRawFragment() == null && uri.getRawPath() != null
          && uri.getRawPath().startsWith("/");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isUrl(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /** Whether {@code url}'s host and port are a configured origin's (its path is routed at run time). */
  private static boolean onOrigin(URI url, List<OriginConfig> origins) {
    int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    for (OriginConfig origin : origins) {
      int originPort = origin.url().getPort() > 0 ? origin.url().getPort() : origin.isHttps() ? 443 : 80;
      if (origin.url().getHost().equalsIgnoreCase(url.getHost()) && originPort == port) {
        return true;
      }
    }
    return false;
  }

  private static boolean isFieldValue(String text) {
    return !text.isBlank() && text.length() <= MAX_ACCEPT_ENCODING_CHARS
        && text.chars().allMatch(c -> c >= ' ' && c < 0x7f);
  }
}
