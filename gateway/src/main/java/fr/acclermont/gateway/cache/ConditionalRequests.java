package fr.acclermont.gateway.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

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
    String ifModifiedSince = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
    if (ifModifiedSince == null) {
      return false;
    }
    long since = CachePolicy.dateMillis(ifModifiedSince, -1);
    long lastModified = CachePolicy.dateMillis(response.get(HttpHeaderNames.LAST_MODIFIED), -1);
    return since >= 0 && lastModified >= 0 && lastModified <= since;
  }

  /**
   * Whether a {@code Range} may be honoured against this response (RFC 9110 13.1.5): there is no
   * {@code If-Range}, or it names this representation: a strong entity tag that matches, or a
   * date equal to its {@code Last-Modified}.
   */
  public static boolean ifRangeMatches(HttpHeaders request, HttpHeaders response) {
    String ifRange = request.get(HttpHeaderNames.IF_RANGE);
    if (ifRange == null) {
      return true;
    }
    String validator = ifRange.trim();
    if (validator.startsWith("W/")) {
      return false;
    }
    if (validator.startsWith("\"")) {
      return validator.equals(response.get(HttpHeaderNames.ETAG));
    }
    long date = CachePolicy.dateMillis(validator, -1);
    long lastModified = CachePolicy.dateMillis(response.get(HttpHeaderNames.LAST_MODIFIED), -2);
    return date >= 0 && date == lastModified;
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
