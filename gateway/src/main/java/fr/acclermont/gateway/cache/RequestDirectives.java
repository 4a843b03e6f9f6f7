package fr.acclermont.gateway.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;

/**
 * The {@code Cache-Control} directives of a request (RFC 9111 5.2.1), and {@code Pragma: no-cache}
 * where no {@code Cache-Control} is sent (5.4). Lenient as the RFC asks: unknown directives are
 * ignored, a malformed or missing argument leaves its directive absent (so a malformed
 * {@code max-stale=x} accepts nothing stale), a directive given twice counts once, the first.
 * Whether a stored response satisfies them is {@link CacheRules#fit}.
 *
 * @param maxAge {@code max-age}: the oldest response accepted, in seconds; -1 when absent
 * @param minFresh {@code min-fresh}: how long the response must still be fresh, in seconds; -1 when absent
 * @param maxStale {@code max-stale}: how stale a response may be, in seconds ({@link Long#MAX_VALUE}
 *     without a value: any staleness); -1 when absent
 * @param onlyIfCached {@code only-if-cached}: never contact the origin (504 when nothing stored fits)
 * @param noCache {@code no-cache} (or {@code Pragma: no-cache}): validate with the origin first
 * @param noStore {@code no-store}: store nothing of this exchange (a stored response may still answer it)
 */
public record RequestDirectives(long maxAge, long minFresh, long maxStale, boolean onlyIfCached, boolean noCache,
    boolean noStore) {

  /** No directive at all: the common request, answered by the response's own freshness. */
  public static final RequestDirectives NONE = new RequestDirectives(-1, -1, -1, false, false, false);

  private static final RequestDirectives PRAGMA_NO_CACHE = new RequestDirectives(-1, -1, -1, false, true, false);

  /** A request's directives; {@link #NONE}, not a new object, for a request without any. */
  public static RequestDirectives of(HttpHeaders requestHeaders) {
    if (!requestHeaders.contains(HttpHeaderNames.CACHE_CONTROL)) {
      return requestHeaders.containsValue(HttpHeaderNames.PRAGMA, "no-cache", true) ? PRAGMA_NO_CACHE : NONE;
    }
    long maxAge = -1;
    long minFresh = -1;
    long maxStale = -1;
    boolean onlyIfCached = false;
    boolean noCache = false;
    boolean noStore = false;
    for (String value : requestHeaders.getAll(HttpHeaderNames.CACHE_CONTROL)) {
      for (String directive : CacheControl.splitDirectives(value)) {
        int eq = directive.indexOf('=');
        String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String argument = eq < 0 ? null : CacheControl.unquote(directive.substring(eq + 1).trim());
        switch (name) {
          case "max-age" -> maxAge = maxAge >= 0 ? maxAge : CacheControl.deltaSeconds(argument);
          case "min-fresh" -> minFresh = minFresh >= 0 ? minFresh : CacheControl.deltaSeconds(argument);
          case "max-stale" -> maxStale = maxStale >= 0 ? maxStale
              : argument == null ? Long.MAX_VALUE : CacheControl.deltaSeconds(argument);
          case "only-if-cached" -> onlyIfCached = true;
          case "no-cache" -> noCache = true;
          case "no-store" -> noStore = true;
          default -> { }
        }
      }
    }
    return new RequestDirectives(maxAge, minFresh, maxStale, onlyIfCached, noCache, noStore);
  }

  /**
   * Whether the request asks for a response validated by the origin: {@code no-cache}, or
   * {@code max-age=0}, which browsers send on a reload and which this gateway treats alike (see
   * {@link CacheRules#fit} for the reload interval that answers both).
   */
  public boolean reload() {
    return noCache || maxAge == 0;
  }

  /** Whether the request asks more than the response's own freshness: {@code no-cache}, {@code max-age}, {@code min-fresh}. */
  public boolean constrains() {
    return noCache || maxAge >= 0 || minFresh >= 0;
  }
}
