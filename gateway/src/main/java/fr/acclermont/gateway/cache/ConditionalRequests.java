package fr.acclermont.gateway.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Evaluates a GET or HEAD's preconditions against a selected response's validators (RFC 9110
 * 13.2.2), so the gateway can answer 304 itself, from storage or from a fill it is streaming.
 */
public final class ConditionalRequests {

  private ConditionalRequests() {
  }

  /** Whether the client's conditions make the answer 304 Not Modified. */
  public static boolean notModified(HttpHeaders request, HttpHeaders response) {
    String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      return matchesAny(ifNoneMatch, response.get(HttpHeaderNames.ETAG));
    }
    // An If-Modified-Since that is not one HTTP-date is ignored (RFC 9110 13.1.3).
    long since = HttpDates.field(request, HttpHeaderNames.IF_MODIFIED_SINCE);
    if (since == HttpDates.INVALID) {
      return false;
    }
    long lastModified = HttpDates.field(response, HttpHeaderNames.LAST_MODIFIED);
    return lastModified != HttpDates.INVALID && lastModified <= since;
  }

  /**
   * Whether a {@code Range} may be honoured against this response (RFC 9110 13.1.5): there is no
   * {@code If-Range}, or it names this representation: a strong entity tag that matches, or a
   * date equal to its {@code Last-Modified}. An {@code If-Range} that is neither a valid
   * HTTP-date ({@link HttpDates}, one field line) nor a strong entity tag never matches: the whole
   * representation is sent.
   */
  public static boolean ifRangeMatches(HttpHeaders request, HttpHeaders response) {
    if (!request.contains(HttpHeaderNames.IF_RANGE)) {
      return true; // the common request: no list allocated
    }
    List<String> ifRanges = request.getAll(HttpHeaderNames.IF_RANGE);
    if (ifRanges.size() > 1) {
      return false;
    }
    String ifRange = ifRanges.get(0);
    String validator = ifRange.trim();
    if (validator.startsWith("W/")) {
      return false;
    }
    if (validator.startsWith("\"")) {
      return validator.equals(response.get(HttpHeaderNames.ETAG));
    }
    long date = HttpDates.parse(validator);
    return date != HttpDates.INVALID && date == HttpDates.field(response, HttpHeaderNames.LAST_MODIFIED);
  }

  /** Whether the request carries a precondition this class evaluates. */
  public static boolean isConditional(HttpHeaders request) {
    return request.contains(HttpHeaderNames.IF_NONE_MATCH) || request.contains(HttpHeaderNames.IF_MODIFIED_SINCE);
  }

  /** Weak comparison of an {@code If-None-Match} list with an entity tag. */
  static boolean matchesAny(String ifNoneMatch, String etag) {
    if (etag == null) {
      return false;
    }
    if (ifNoneMatch.trim().equals("*")) {
      return true;
    }
    String opaque = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      if (opaque(candidate).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    String t = tag.trim();
    return t.startsWith("W/") ? t.substring(2) : t;
  }
}
