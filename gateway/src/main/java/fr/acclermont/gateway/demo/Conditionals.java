package fr.acclermont.gateway.demo;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;

/** Evaluates conditional request headers against a resource's validators (RFC 9110 §13). */
final class Conditionals {

  private static final String WEAK_PREFIX = "W/";

  private Conditionals() {}

  /**
   * Returns whether a GET or HEAD should be answered 304: {@code If-None-Match} matches (weak
   * comparison, {@code *} matches any), or, only when it is absent, {@code If-Modified-Since} is
   * not older than {@code Last-Modified}. An unparseable date is ignored.
   */
  static boolean notModified(HttpHeaders request, Resource resource) {
    String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      return anyWeakMatch(ifNoneMatch, resource.etag());
    }
    Date since = date(request.get(HttpHeaderNames.IF_MODIFIED_SINCE));
    return since != null && seconds(resource.lastModifiedMillis()) <= seconds(since.getTime());
  }

  /**
   * Returns whether a {@code Range} may be honoured: there is no {@code If-Range}, or it names
   * the current representation: strong comparison for an entity tag, equality for a date.
   */
  static boolean ifRangeMatches(HttpHeaders request, Resource resource) {
    String ifRange = request.get(HttpHeaderNames.IF_RANGE);
    if (ifRange == null) {
      return true;
    }
    String validator = ifRange.trim();
    if (validator.startsWith(WEAK_PREFIX)) {
      return false;
    }
    if (validator.startsWith("\"")) {
      return validator.equals(resource.etag());
    }
    Date date = date(validator);
    return date != null && seconds(date.getTime()) == seconds(resource.lastModifiedMillis());
  }

  private static boolean anyWeakMatch(String list, String etag) {
    String opaque = withoutWeakPrefix(etag);
    for (String candidate : list.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || withoutWeakPrefix(tag).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String withoutWeakPrefix(String tag) {
    return tag.startsWith(WEAK_PREFIX) ? tag.substring(WEAK_PREFIX.length()) : tag;
  }

  private static Date date(String value) {
    return value == null ? null : DateFormatter.parseHttpDate(value);
  }

  private static long seconds(long millis) {
    return Math.floorDiv(millis, 1000);
  }
}
