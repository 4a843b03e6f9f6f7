package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

/**
 * The identity of one stored object: the configured origin's name, the request's path and raw
 * query, and the variant: the values of the request headers the response's {@code Vary} names
 * (RFC 9111 4.1), empty for a response that does not vary. The client's {@code Host} is
 * deliberately not part of it (DESIGN.md "HTTP contract"): every name a tablet uses for the
 * gateway shares one copy.
 *
 * @param origin the configured origin's name
 * @param pathAndQuery the origin-form request target, exactly as received
 * @param variant the normalized {@code Vary} fields of the request ({@link Variants}); "" for none
 */
public record CacheKey(String origin, String pathAndQuery, String variant) {

  /** Validates the components. */
  public CacheKey {
    requireNonNull(origin, "origin");
    requireNonNull(pathAndQuery, "pathAndQuery");
    requireNonNull(variant, "variant");
  }

  /** The key of an object that does not vary (or of the URL, for all its variants). */
  public CacheKey(String origin, String pathAndQuery) {
    this(origin, pathAndQuery, "");
  }

  /** The key of the URL, without a variant. */
  public CacheKey primary() {
    return variant.isEmpty() ? this : new CacheKey(origin, pathAndQuery);
  }

  /** The key of this URL's variant {@code variant}. */
  public CacheKey withVariant(String variant) {
    return variant.equals(this.variant) ? this : new CacheKey(origin, pathAndQuery, variant);
  }

  @Override
  public String toString() {
    return variant.isEmpty() ? origin + ':' + pathAndQuery
        : origin + ':' + pathAndQuery + " {" + variant.replace('\n', ';') + '}';
  }
}
