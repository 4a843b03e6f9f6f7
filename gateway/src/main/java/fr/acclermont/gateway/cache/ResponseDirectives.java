package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Set;

/**
 * The cache directives this cache follows for one response, and the field they come from: the
 * first targeted field of its list that is present and valid (RFC 9213 2.1), else
 * {@code Cache-Control}. Every storage and freshness decision about a response reads them, never
 * the fields themselves ({@link TargetedCacheControl#select}). Immutable.
 *
 * @param control the directives
 * @param field the name of the field they were read from, as the list or the protocol spells it
 * @param names the directives present, lower case: what {@code control} merges
 *     ({@code must-revalidate} and {@code proxy-revalidate}) RFC 9111 3.5 tells apart
 */
public record ResponseDirectives(CacheControl control, String field, Set<String> names) {

  /** A response without any directive. */
  public static final ResponseDirectives NONE =
      new ResponseDirectives(CacheControl.NONE, HttpHeaderNames.CACHE_CONTROL.toString(), Set.of());

  /** Validates the components. */
  public ResponseDirectives {
    requireNonNull(control, "control");
    requireNonNull(field, "field");
    names = Set.copyOf(names);
  }

  /**
   * Whether {@code Expires} counts (RFC 9111 4.2.1): only when the directives are those of
   * {@code Cache-Control}; a cache that follows a targeted field ignores both (RFC 9213 2.1).
   */
  public boolean expiresApplies() {
    return !targeted();
  }

  /** Whether the directives come from a targeted field (RFC 9213), not {@code Cache-Control}. */
  public boolean targeted() {
    return !HttpHeaderNames.CACHE_CONTROL.contentEqualsIgnoreCase(field);
  }

  /** Whether {@code directive} (lower case) is present, whatever its argument. */
  public boolean has(String directive) {
    return names.contains(directive);
  }
}
