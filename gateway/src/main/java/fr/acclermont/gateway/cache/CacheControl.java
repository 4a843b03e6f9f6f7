package fr.acclermont.gateway.cache;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The directives of {@code Cache-Control} header fields that a shared cache acts on (RFC 9111
 * section 5.2). Every field line is read, as one list; directive names are case-insensitive;
 * arguments are a token or a quoted-string ({@code max-age="100"} is 100), and commas inside a
 * quoted-string do not split ({@code no-cache="a, b"}). Unknown directives are ignored. A directive
 * given twice counts once, the first (4.2.1), even when the first is invalid. delta-seconds are
 * digits only, and a value past 2^31 is taken as 2^31 (1.2.2); any other argument
 * ({@code max-age=1.5}, {@code -1}, {@code abc}, none) is invalid: the directive reads as -1 and,
 * for {@code max-age} or {@code s-maxage}, marks the lifetime invalid.
 *
 * @param noStore {@code no-store}
 * @param noCache {@code no-cache} (the unqualified form, or with field names: both force revalidation)
 * @param isPrivate {@code private}
 * @param isPublic {@code public}
 * @param mustRevalidate {@code must-revalidate} or {@code proxy-revalidate} (the same to a shared cache)
 * @param maxAge {@code max-age} in seconds, or -1
 * @param sMaxAge {@code s-maxage} in seconds, or -1
 * @param staleWhileRevalidate {@code stale-while-revalidate} in seconds (RFC 5861), or -1
 * @param staleIfError {@code stale-if-error} in seconds (RFC 5861), or -1
 * @param invalidLifetime whether the freshness lifetime given is invalid: an invalid {@code s-maxage},
 *     or an invalid {@code max-age} without {@code s-maxage}; RFC 9111 4.2.1 encourages treating
 *     such a response as stale
 */
public record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic,
    boolean mustRevalidate, long maxAge, long sMaxAge, long staleWhileRevalidate, long staleIfError,
    boolean invalidLifetime) {

  /** A delta-seconds directive not met yet while parsing. */
  private static final long NOT_SEEN = -2;

  /** No directive at all. */
  public static final CacheControl NONE =
      new CacheControl(false, false, false, false, false, -1, -1, -1, -1, false);

  /** The request's or response's directives. */
  public static CacheControl of(io.netty.handler.codec.http.HttpHeaders headers) {
    return headers.contains(io.netty.handler.codec.http.HttpHeaderNames.CACHE_CONTROL)
        ? parse(headers.getAll(io.netty.handler.codec.http.HttpHeaderNames.CACHE_CONTROL)) : NONE;
  }

  /** Parses every {@code Cache-Control} field value of a message. */
  public static CacheControl parse(List<String> values) {
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    boolean isPublic = false;
    boolean mustRevalidate = false;
    long maxAge = NOT_SEEN;
    long sMaxAge = NOT_SEEN;
    long staleWhileRevalidate = NOT_SEEN;
    long staleIfError = NOT_SEEN;
    for (String value : values) {
      for (String directive : splitDirectives(value)) {
        int eq = directive.indexOf('=');
        String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String argument = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
        switch (name) {
          case "no-store" -> noStore = true;
          case "no-cache" -> noCache = true;
          case "private" -> isPrivate = true;
          case "public" -> isPublic = true;
          case "must-revalidate", "proxy-revalidate" -> mustRevalidate = true;
          case "max-age" -> maxAge = first(maxAge, argument);
          case "s-maxage" -> sMaxAge = first(sMaxAge, argument);
          case "stale-while-revalidate" -> staleWhileRevalidate = first(staleWhileRevalidate, argument);
          case "stale-if-error" -> staleIfError = first(staleIfError, argument);
          default -> { }
        }
      }
    }
    // s-maxage overrides max-age for a shared cache (5.2.2.10): an invalid one is invalid freshness
    // whatever max-age says, an invalid max-age only when there is no s-maxage.
    boolean invalidLifetime = sMaxAge != NOT_SEEN ? sMaxAge < 0 : maxAge != NOT_SEEN && maxAge < 0;
    return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, Math.max(-1, maxAge),
        Math.max(-1, sMaxAge), Math.max(-1, staleWhileRevalidate), Math.max(-1, staleIfError), invalidLifetime);
  }

  /** The directive's value: the one read already, or else this first occurrence's. */
  private static long first(long current, String argument) {
    return current == NOT_SEEN ? deltaSeconds(argument) : current;
  }

  /**
   * The names, lower case, of the directives present in {@code Cache-Control} field values,
   * whatever their arguments: for the rules that tell apart what the record merges
   * ({@code must-revalidate} and {@code proxy-revalidate}, RFC 9111 3.5).
   */
  public static Set<String> directiveNames(List<String> values) {
    Set<String> names = new HashSet<>();
    for (String value : values) {
      for (String directive : splitDirectives(value)) {
        int eq = directive.indexOf('=');
        names.add((eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  /**
   * Splits on commas that are not inside a quoted-string ({@code private="a, b"}); a backslash in
   * one escapes the next character ({@code "a\", b"}, RFC 9110 5.6.4).
   */
  static List<String> splitDirectives(String value) {
    List<String> out = new java.util.ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        addIfNotBlank(out, value.substring(start, i));
        start = i + 1;
      }
    }
    addIfNotBlank(out, value.substring(start));
    return out;
  }

  private static void addIfNotBlank(List<String> out, String part) {
    if (!part.isBlank()) {
      out.add(part.trim());
    }
  }

  /** The text of a quoted-string, its quoted-pairs undone; any other argument as it is. */
  static String unquote(String s) {
    if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() - 2);
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() - 1) {
        c = s.charAt(++i);
      } else if (c == '"' || c == '\\') {
        return s; // an unescaped quote inside, or a backslash escaping the closing one: not a quoted-string
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * delta-seconds (RFC 9111 1.2.2): digits only, else -1; values too large to represent mean
   * "very large" (2^31).
   */
  static long deltaSeconds(String s) {
    if (s == null || s.isEmpty()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
      value = Math.min(value * 10 + (s.charAt(i) - '0'), Integer.MAX_VALUE + 1L); // leading zeros count for nothing
    }
    return value;
  }
}
