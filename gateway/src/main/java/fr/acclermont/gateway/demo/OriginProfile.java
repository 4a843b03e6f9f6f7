package fr.acclermont.gateway.demo;

/**
 * How the demo origin presents its catalog: the same bytes either way, over another transport
 * and with other headers.
 *
 * <ul>
 *   <li>{@link #PLAIN}, the default: plain HTTP, identity bodies, one {@code Cache-Control} per
 *       kind of resource. The gateway's tests and the benchmarks rely on it byte for byte.
 *   <li>{@link #CDN}: what a textbook publisher's cloud sends. HTTPS with a certificate from a
 *       throw-away CA made at start-up ({@link ThrowAwayCa}); text resources compressed as the
 *       request's {@code Accept-Encoding} allows ({@link ContentCoding}), with
 *       {@code Vary: Accept-Encoding}; the {@code Cache-Control} of versioned asset URLs
 *       ({@code immutable}), of documents revalidated on every use ({@code no-cache}) and of
 *       media.
 * </ul>
 */
public enum OriginProfile {

  /** Plain HTTP, identity bodies, today's caching headers. */
  PLAIN(false, false,
      ResourceResolver.ASSET_CACHE_CONTROL,
      ResourceResolver.MANIFEST_CACHE_CONTROL,
      ResourceResolver.INDEX_CACHE_CONTROL,
      ResourceResolver.MEDIA_CACHE_CONTROL),

  /**
   * The plain profile's answers over HTTPS: the same bytes and headers as {@link #PLAIN}, so that
   * a measurement against the two shows what TLS alone costs.
   */
  HTTPS(true, false,
      ResourceResolver.ASSET_CACHE_CONTROL,
      ResourceResolver.MANIFEST_CACHE_CONTROL,
      ResourceResolver.INDEX_CACHE_CONTROL,
      ResourceResolver.MEDIA_CACHE_CONTROL),

  /** HTTPS, compressed text, a publisher CDN's caching headers. */
  CDN(true, true,
      // Asset URLs are versioned by the book's release: they never change, so a year and
      // "immutable" (RFC 8246), as publishers' CDNs send for fingerprinted files.
      "public, max-age=31536000, immutable",
      // The manifest and the book's page name the current release: always revalidated (they
      // carry a strong ETag, so the revalidation is a 304).
      "no-cache",
      "no-cache",
      ResourceResolver.MEDIA_CACHE_CONTROL);

  private final boolean tls;
  private final boolean compresses;
  private final String assetCacheControl;
  private final String manifestCacheControl;
  private final String indexCacheControl;
  private final String mediaCacheControl;

  OriginProfile(boolean tls, boolean compresses, String assetCacheControl, String manifestCacheControl,
      String indexCacheControl, String mediaCacheControl) {
    this.tls = tls;
    this.compresses = compresses;
    this.assetCacheControl = assetCacheControl;
    this.manifestCacheControl = manifestCacheControl;
    this.indexCacheControl = indexCacheControl;
    this.mediaCacheControl = mediaCacheControl;
  }

  /** Returns whether the origin serves HTTPS (with a throw-away CA) rather than plain HTTP. */
  public boolean tls() {
    return tls;
  }

  /** Returns whether text resources are sent compressed when the request accepts it. */
  public boolean compresses() {
    return compresses;
  }

  /** Returns the {@code Cache-Control} of book assets ({@code /books/{id}/assets/...}). */
  public String assetCacheControl() {
    return assetCacheControl;
  }

  /** Returns the {@code Cache-Control} of a book's {@code manifest.json}. */
  public String manifestCacheControl() {
    return manifestCacheControl;
  }

  /** Returns the {@code Cache-Control} of a book's {@code index.html}. */
  public String indexCacheControl() {
    return indexCacheControl;
  }

  /** Returns the {@code Cache-Control} of PDFs and videos. */
  public String mediaCacheControl() {
    return mediaCacheControl;
  }

  /** Returns the profile named {@code name}, case-insensitively ({@code plain}, {@code https}, {@code cdn}). */
  public static OriginProfile parse(String name) {
    for (OriginProfile profile : values()) {
      if (profile.name().equalsIgnoreCase(name.trim())) {
        return profile;
      }
    }
    throw new IllegalArgumentException("profile: \"" + name + "\" (expected: plain, https or cdn)");
  }
}
