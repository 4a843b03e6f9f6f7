package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Builds {@code Cache-Status} field values (RFC 9211), e.g. {@code edge; hit; ttl=42} or
 * {@code edge; fwd=miss; stored}.
 *
 * <p>Several caches: an answer forwarded from upstream keeps the upstream caches' entries and gets
 * this cache's after them ({@link #after}), so a school behind an académie tier answers
 * {@code academie; fwd=miss; stored, school; fwd=miss; stored}: "in order from the origin to the
 * user agent" (RFC 9211 2). An answer from storage carries this cache's entry alone: no upstream
 * cache handled that request.
 */
public final class CacheStatus {

  /** The header's name (RFC 9211). */
  public static final io.netty.util.AsciiString HEADER = io.netty.util.AsciiString.cached("cache-status");

  /**
   * The {@code detail} parameter (RFC 9211 2.8): what a value's other parameters do not say.
   * {@link #token()} is the exact value written in the header.
   */
  public enum Detail {
    /** A hit whose bytes come at least partly from the disk tier. */
    DISK("disk"),
    /**
     * A stale hit served while the object is revalidated in the background (RFC 5861
     * {@code stale-while-revalidate}).
     */
    STALE_WHILE_REVALIDATE("stale-while-revalidate"),
    /** A stale hit the client accepts with {@code max-stale} (RFC 9111 5.2.1.2): the origin is not asked. */
    MAX_STALE("max-stale"),
    /**
     * The cache's own 504 to an {@code only-if-cached} request nothing stored satisfies
     * (RFC 9111 5.2.1.7): neither from storage nor forwarded.
     */
    ONLY_IF_CACHED("only-if-cached"),
    /** A stale copy standing in: the origin is known down (and probed in the background), so it was not asked. */
    OFFLINE("offline"),
    /** A stale copy standing in for the origin's error answer (a 5xx other than 501; RFC 9111 4.2.4). */
    ORIGIN_ERROR("origin-error"),
    /** A stale copy standing in for an origin that did not answer (refused, reset before the head, timeout). */
    ORIGIN_UNREACHABLE("origin-unreachable");

    private final String token;
    /** {@code "; detail=" + token}, as appended to a value. */
    private final String parameter;

    Detail(String token) {
      this.token = token;
      this.parameter = "; detail=" + token;
    }

    /** The value of the {@code detail} parameter, as written in the header. */
    public String token() {
      return token;
    }
  }

  private final String cacheName;
  /** {@link #partial()}'s value, the same for every request. */
  private final String partial;

  /** @param cacheName the configured cache name, a token */
  public CacheStatus(String cacheName) {
    this.cacheName = requireNonNull(cacheName, "cacheName");
    this.partial = forward(ForwardReason.PARTIAL, 0, true);
  }

  /**
   * The value of a forwarded answer: the upstream's {@code Cache-Status} (the caches nearer the
   * origin), if it sent one, then this cache's entry.
   *
   * @param upstream the field's value in the upstream's answer, or null
   * @param own this cache's entry
   */
  public static String after(@Nullable CharSequence upstream, String own) {
    if (upstream == null || upstream.length() == 0) {
      return own;
    }
    return upstream + ", " + own;
  }

  /** Hits are the common case: their values are rendered once per ttl and reused (see {@link #hit}). */
  private static final int HIT_SLOTS = 1024;

  private record Hit(long ttl, String value) {
  }

  /** Direct-mapped by ttl; immutable entries, so racing threads at worst render their own. */
  private final Hit[] hits = new Hit[HIT_SLOTS];

  /** A hit: served from storage without contacting the origin. */
  public String hit(long ttlSeconds) {
    int slot = (int) (ttlSeconds & (HIT_SLOTS - 1));
    Hit hit = hits[slot];
    if (hit == null || hit.ttl() != ttlSeconds) {
      hit = new Hit(ttlSeconds, cacheName + "; hit; ttl=" + ttlSeconds);
      hits[slot] = hit;
    }
    return hit.value();
  }

  /**
   * A hit with a detail: {@link Detail#DISK}, {@link Detail#STALE_WHILE_REVALIDATE} or
   * {@link Detail#MAX_STALE}, e.g. {@code edge; hit; ttl=-5; detail=max-stale}.
   */
  public String hit(long ttlSeconds, Detail detail) {
    return hit(ttlSeconds) + detail.parameter;
  }

  /** A hit whose bytes come at least partly from the disk tier: {@link #hit(long, Detail)} with {@link Detail#DISK}. */
  public String diskHit(long ttlSeconds) {
    return hit(ttlSeconds, Detail.DISK);
  }

  /**
   * A stale stored response standing in for an origin in error or out of reach (RFC 9111 4.2.4).
   *
   * @param ttlSeconds the (negative) freshness left
   * @param fwdStatus the origin's error status, or 0 when it did not answer or was not asked
   * @param detail why: {@link Detail#ORIGIN_ERROR}, {@link Detail#ORIGIN_UNREACHABLE}, or
   *     {@link Detail#OFFLINE} (the origin is known down, so it was not asked)
   */
  public String stale(long ttlSeconds, int fwdStatus, Detail detail) {
    return forward(ForwardReason.STALE, fwdStatus) + "; ttl=" + ttlSeconds + detail.parameter;
  }

  /**
   * An answer of the cache's own that neither comes from storage nor went to the origin, e.g. the
   * 504 to an {@code only-if-cached} request (RFC 9111 5.2.1.7): {@link Detail#ONLY_IF_CACHED}.
   */
  public String notForwarded(Detail detail) {
    return cacheName + detail.parameter;
  }

  /** A request that joined a fetch already in flight for the same object (RFC 9211 {@code collapsed}). */
  public String collapsed(ForwardReason fwd, int fwdStatus) {
    return cacheName + "; fwd=" + fwd.token() + "; fwd-status=" + fwdStatus + "; collapsed";
  }

  /** A request forwarded, that the origin did not answer (or whose answer is not known yet). */
  public String forward(ForwardReason fwd) {
    return forward(fwd, 0, false);
  }

  /**
   * A request forwarded, whose response was not stored.
   *
   * @param fwd why it went to the origin
   * @param fwdStatus the origin's status, or 0 to omit
   */
  public String forward(ForwardReason fwd, int fwdStatus) {
    return forward(fwd, fwdStatus, false);
  }

  /** A request forwarded, whose response was (being) stored: {@code ...; fwd-status=200; stored}. */
  public String stored(ForwardReason fwd, int fwdStatus) {
    return forward(fwd, fwdStatus, true);
  }

  /** A stored copy that holds some of the bytes asked for, the rest being fetched and stored. */
  public String partial() {
    return partial;
  }

  private String forward(ForwardReason fwd, int fwdStatus, boolean stored) {
    StringBuilder sb = new StringBuilder(48).append(cacheName).append("; fwd=").append(fwd.token());
    if (fwdStatus > 0) {
      sb.append("; fwd-status=").append(fwdStatus);
    }
    if (stored) {
      sb.append("; stored");
    }
    return sb.toString();
  }
}
