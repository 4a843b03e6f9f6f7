package fr.acclermont.gateway.cache;

import java.util.List;
import java.util.Locale;

/**
 * The directives of {@code Cache-Control} header fields that a shared cache acts on (RFC 9111
 * section 5.2). Parsing is lenient, as the RFC asks: unknown directives are ignored and a malformed
 * delta-seconds is treated as absent.
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
 * @param invalidLifetime whether a {@code max-age} or {@code s-maxage} was present with an invalid
 *     argument: RFC 9111 4.2.1 encourages treating such a response as stale
 */
public record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic,
    boolean mustRevalidate, long maxAge, long sMaxAge, long staleWhileRevalidate, long staleIfError,
    boolean invalidLifetime) {

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
    long maxAge = -1;
    long sMaxAge = -1;
    long staleWhileRevalidate = -1;
    long staleIfError = -1;
    boolean invalidLifetime = false;
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
          case "max-age" -> {
            long parsed = deltaSeconds(argument);
            invalidLifetime |= parsed < 0 && maxAge < 0;
            maxAge = firstOrKeep(maxAge, parsed);
          }
          case "s-maxage" -> {
            long parsed = deltaSeconds(argument);
            invalidLifetime |= parsed < 0 && sMaxAge < 0;
            sMaxAge = firstOrKeep(sMaxAge, parsed);
          }
          case "stale-while-revalidate" ->
              staleWhileRevalidate = firstOrKeep(staleWhileRevalidate, deltaSeconds(argument));
          case "stale-if-error" -> staleIfError = firstOrKeep(staleIfError, deltaSeconds(argument));
          default -> { }
        }
      }
    }
    return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, maxAge, sMaxAge,
        staleWhileRevalidate, staleIfError, invalidLifetime && maxAge < 0 && sMaxAge < 0);
  }

  private static long firstOrKeep(long current, long parsed) {
    return current >= 0 ? current : parsed;
  }

  /**
   * The names, lower case, of the directives present in {@code Cache-Control} field values,
   * whatever their arguments: for the rules that tell apart what the record merges
   * ({@code must-revalidate} and {@code proxy-revalidate}, RFC 9111 3.5).
   */
  public static java.util.Set<String> directiveNames(List<String> values) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String value : values) {
      for (String directive : splitDirectives(value)) {
        int eq = directive.indexOf('=');
        names.add((eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  /** Splits on commas that are not inside a quoted string ({@code private="a, b"}). */
  private static List<String> splitDirectives(String value) {
    List<String> out = new java.util.ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
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

  private static String unquote(String s) {
    return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"'
        ? s.substring(1, s.length() - 1) : s;
  }

  /** RFC 9111 1.2.2: digits only; values too large to represent mean "very large" (2^31). */
  private static long deltaSeconds(String s) {
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
