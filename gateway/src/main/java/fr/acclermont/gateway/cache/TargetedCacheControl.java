package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.CacheConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * This cache's target list (RFC 9213 2.1): the targeted cache control fields it obeys, the
 * configured one ({@code cache.targeted-cache-control}, default {@code Edge-Cache-Control}) then
 * {@code CDN-Cache-Control}. The first of them that a response carries with a valid, non-empty
 * value gives the directives for this cache's storage and freshness decisions, and
 * {@code Cache-Control} and {@code Expires} are then ignored; without one, {@code Cache-Control}
 * and {@code Expires} apply. The fields themselves are forwarded unchanged. Immutable.
 */
public final class TargetedCacheControl {

  /** The targeted field for CDN caches (RFC 9213 3), always on the list, last. */
  public static final String CDN_CACHE_CONTROL = "CDN-Cache-Control";
  /** The default of {@code cache.targeted-cache-control}. */
  public static final String DEFAULT_FIELD = CacheConfig.DEFAULT_TARGETED_CACHE_CONTROL;
  /** The default list: {@code Edge-Cache-Control}, then {@code CDN-Cache-Control}. */
  public static final TargetedCacheControl DEFAULT = of(DEFAULT_FIELD);

  private final List<String> fields;

  private TargetedCacheControl(List<String> fields) {
    this.fields = fields;
  }

  /** The list for a configured field name: it, then {@code CDN-Cache-Control} (once). */
  public static TargetedCacheControl of(String configuredField) {
    requireNonNull(configuredField, "configuredField");
    return new TargetedCacheControl(configuredField.equalsIgnoreCase(CDN_CACHE_CONTROL)
        ? List.of(CDN_CACHE_CONTROL) : List.of(configuredField, CDN_CACHE_CONTROL));
  }

  /** The field names, in the order they are tried. */
  public List<String> fields() {
    return fields;
  }

  /** The directives this cache follows for a response with {@code headers}. */
  public ResponseDirectives select(HttpHeaders headers) {
    for (String field : fields) {
      ResponseDirectives targeted = targeted(headers, field);
      if (targeted != null) {
        return targeted;
      }
    }
    return cacheControl(headers);
  }

  /**
   * The directives of {@code field} in {@code headers}, as a stored object recorded the field its
   * directives came from ({@code Cache-Control} or a targeted one); {@code Cache-Control}'s when
   * that field is no longer present and valid.
   */
  public static ResponseDirectives read(HttpHeaders headers, String field) {
    ResponseDirectives targeted = HttpHeaderNames.CACHE_CONTROL.contentEqualsIgnoreCase(field)
        ? null : targeted(headers, field);
    return targeted != null ? targeted : cacheControl(headers);
  }

  private static ResponseDirectives cacheControl(HttpHeaders headers) {
    List<String> values = headers.getAll(HttpHeaderNames.CACHE_CONTROL);
    if (values.isEmpty()) {
      return ResponseDirectives.NONE;
    }
    return new ResponseDirectives(CacheControl.of(headers), HttpHeaderNames.CACHE_CONTROL.toString(),
        CacheControl.directiveNames(values));
  }

  /**
   * A targeted field's directives (RFC 9213 2.2): a Structured Field Dictionary whose members are
   * directives; null when absent, empty or unparseable (the field is then ignored). A Boolean
   * false member is absent; {@code max-age} and {@code s-maxage} other than a non-negative Integer
   * are invalid (the response is then stale, as RFC 9111 4.2.1 encourages), the stale-* ones
   * ignored.
   */
  private static @Nullable ResponseDirectives targeted(HttpHeaders headers, String field) {
    List<String> values = headers.getAll(field);
    if (values.isEmpty()) {
      return null;
    }
    Map<String, Object> members = StructuredDictionary.parse(values);
    if (members == null || members.isEmpty()) {
      return null;
    }
    Set<String> names = new HashSet<>();
    members.forEach((name, value) -> {
      if (!Boolean.FALSE.equals(value)) {
        names.add(name);
      }
    });
    Object maxAgeValue = members.get("max-age");
    Object sMaxAgeValue = members.get("s-maxage");
    long maxAge = seconds(maxAgeValue);
    long sMaxAge = seconds(sMaxAgeValue);
    boolean invalid = (maxAgeValue != null && maxAge < 0) || (sMaxAgeValue != null && sMaxAge < 0);
    CacheControl control = new CacheControl(names.contains("no-store"), names.contains("no-cache"),
        names.contains("private"), names.contains("public"),
        names.contains("must-revalidate") || names.contains("proxy-revalidate"), maxAge, sMaxAge,
        seconds(members.get("stale-while-revalidate")), seconds(members.get("stale-if-error")),
        invalid && maxAge < 0 && sMaxAge < 0);
    return new ResponseDirectives(control, field, names);
  }

  /** An Integer delta-seconds, capped as RFC 9111 1.2.2 caps it; -1 for anything else. */
  private static long seconds(@Nullable Object value) {
    return value instanceof Long seconds && seconds >= 0 ? Math.min(seconds, Integer.MAX_VALUE + 1L) : -1;
  }

  @Override
  public String toString() {
    return String.join(", ", fields);
  }
}
