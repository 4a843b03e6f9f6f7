package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The metadata of one stored object: what to replay and how fresh it is. It is published as soon
 * as the origin's head is known; the body lives in slices ({@link Slice}) of the same
 * {@code version}, which may be absent or partly present and are fetched by range when needed.
 *
 * @param key the object's key
 * @param version unique per stored copy; its slices carry the same number
 * @param status the origin's status
 * @param headers the origin's end-to-end headers (hop-by-hop already removed); never mutated
 * @param length the body length in bytes
 * @param sliceSize the slice size the body was cut with
 * @param requestTimeMillis when the request that fetched it was sent
 * @param responseTimeMillis when its headers were received
 * @param dateMillis the origin's {@code Date}, or the response time when absent or invalid
 * @param ageHeaderSeconds the origin's {@code Age}, or 0
 * @param freshnessLifetimeSeconds how long it stays fresh (RFC 9111 4.2.1)
 * @param rangeable whether missing slices may be fetched by range (the origin answered a range
 *     with 206); otherwise the object was fetched whole and a missing slice makes it unreadable
 * @param control the response's directives for this cache, parsed once (it is consulted on every
 *     request): a targeted field's (RFC 9213), else {@code Cache-Control}'s ({@link ResponseDirectives})
 * @param replay the {@code headers} as a hit replays them, taken once (a hit's head shares them)
 * @param controlField the name of the field {@code control} was read from, kept with the object so
 *     that a copy read back from disk follows the same field
 */
public record StoredObject(CacheKey key, long version, int status, HttpHeaders headers, long length,
    int sliceSize, long requestTimeMillis, long responseTimeMillis, long dateMillis,
    long ageHeaderSeconds, long freshnessLifetimeSeconds, boolean rangeable, CacheControl control,
    ReplayHeaders replay, String controlField) {

  /**
   * Header fields a 304 (or a HEAD's 200) does not update, RFC 9111 3.2's exceptions: every other
   * field replaces the stored one of its name. {@code Content-Length} (named by 3.2); the framing
   * ({@code Transfer-Encoding}, hop-by-hop) and {@code Content-Range} (processed per answer: the
   * stored response is the whole 200); {@code Content-Encoding}, as the stored bytes are in the
   * stored coding and a different value would mislabel them (3.2 lets a cache keep the fields its
   * stored response depends on, for its integrity); and the proxy fields a cache must not store
   * (3.1). Hop-by-hop fields are removed before the merge.
   */
  private static final List<AsciiString> NOT_UPDATED = List.of(HttpHeaderNames.CONTENT_LENGTH,
      HttpHeaderNames.CONTENT_RANGE, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.CONTENT_ENCODING,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
      AsciiString.cached("proxy-authentication-info"));

  /**
   * A stored object whose directives ({@link TargetedCacheControl#DEFAULT}'s choice) and replayed
   * fields come from {@code headers}.
   */
  public StoredObject(CacheKey key, long version, int status, HttpHeaders headers, long length, int sliceSize,
      long requestTimeMillis, long responseTimeMillis, long dateMillis, long ageHeaderSeconds,
      long freshnessLifetimeSeconds, boolean rangeable) {
    this(key, version, status, headers, length, sliceSize, requestTimeMillis, responseTimeMillis, dateMillis,
        ageHeaderSeconds, freshnessLifetimeSeconds, rangeable, TargetedCacheControl.DEFAULT.select(headers));
  }

  /** A stored object with the given directives, read from {@code headers} ({@link TargetedCacheControl#select}). */
  public StoredObject(CacheKey key, long version, int status, HttpHeaders headers, long length, int sliceSize,
      long requestTimeMillis, long responseTimeMillis, long dateMillis, long ageHeaderSeconds,
      long freshnessLifetimeSeconds, boolean rangeable, ResponseDirectives directives) {
    this(key, version, status, headers, length, sliceSize, requestTimeMillis, responseTimeMillis, dateMillis,
        ageHeaderSeconds, freshnessLifetimeSeconds, rangeable, directives.control(), new ReplayHeaders(headers),
        directives.field());
  }

  /** Validates the components. */
  public StoredObject {
    requireNonNull(key, "key");
    requireNonNull(headers, "headers");
    requireNonNull(control, "control");
    requireNonNull(replay, "replay");
    requireNonNull(controlField, "controlField");
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    if (sliceSize <= 0) {
      throw new IllegalArgumentException("sliceSize: " + sliceSize + " (expected: > 0)");
    }
  }

  /** How many slices hold the body (0 for an empty body). */
  public int sliceCount() {
    return (int) ((length + sliceSize - 1) / sliceSize);
  }

  /** The key of slice {@code index} of this version. */
  public SliceKey slice(int index) {
    return new SliceKey(key, version, index);
  }

  /** The length of slice {@code index} (the last one may be shorter). */
  public int sliceLength(int index) {
    return (int) Math.min(sliceSize, length - (long) index * sliceSize);
  }

  /** The strong or weak entity tag, or null: with {@code Last-Modified}, how a new version is told apart. */
  public String etag() {
    return headers.get(HttpHeaderNames.ETAG);
  }

  /** The {@code Last-Modified} value, or null. */
  public String lastModified() {
    return headers.get(HttpHeaderNames.LAST_MODIFIED);
  }

  /** The current age in seconds (RFC 9111 4.2.3). */
  public long age(long nowMillis) {
    return CachePolicy.currentAge(ageHeaderSeconds, dateMillis, requestTimeMillis, responseTimeMillis, nowMillis);
  }

  /** Whether it may be served without asking the origin ({@code no-cache}: never, RFC 9111 5.2.2.4). */
  public boolean isFresh(long nowMillis) {
    return !control.noCache() && freshnessLifetimeSeconds > age(nowMillis);
  }

  /**
   * This object as a 304 from the origin refreshed it (RFC 9111 4.3.4): the same body (same version,
   * same slices), with {@code headers} ({@link #mergedHeaders}) and the clocks of the new exchange.
   *
   * @param lifetimeSeconds the freshness lifetime computed from {@code headers}
   */
  public StoredObject withExchange(HttpHeaders headers, long requestTime, long responseTime, long lifetimeSeconds) {
    return withExchange(headers, requestTime, responseTime, lifetimeSeconds,
        TargetedCacheControl.DEFAULT.select(headers));
  }

  /**
   * {@link #withExchange(HttpHeaders, long, long, long)} with the directives this cache reads in
   * {@code headers} ({@link TargetedCacheControl#select}).
   */
  public StoredObject withExchange(HttpHeaders headers, long requestTime, long responseTime, long lifetimeSeconds,
      ResponseDirectives directives) {
    return new StoredObject(key, version, status, headers, length, sliceSize, requestTime, responseTime,
        CachePolicy.originDate(headers, responseTime), CachePolicy.ageHeader(headers),
        lifetimeSeconds, rangeable, directives);
  }

  /** The stored header fields with those of a 304 put over them (RFC 9111 3.2). */
  public HttpHeaders mergedHeaders(HttpHeaders notModified) {
    HttpHeaders merged = new DefaultHttpHeaders().set(headers);
    merged.remove(HttpHeaderNames.AGE); // the new exchange's Age, if any, replaces it
    for (String name : notModified.names()) {
      if (NOT_UPDATED.stream().noneMatch(n -> n.contentEqualsIgnoreCase(name))) {
        merged.set(name, notModified.getAll(name));
      }
    }
    return merged;
  }

  /**
   * This object considered stale from now on (RFC 9111 4.3.5: a HEAD's answer showed it is not the
   * current representation): same headers, slices and clocks, a freshness lifetime of 0, so the
   * next request revalidates it, while it may still stand in for an origin in error.
   */
  public StoredObject expired() {
    return new StoredObject(key, version, status, headers, length, sliceSize, requestTimeMillis, responseTimeMillis,
        dateMillis, ageHeaderSeconds, 0, rangeable, control, replay, controlField);
  }

  /** Seconds of freshness left (negative when stale), for {@code Cache-Status: ttl}. */
  public long ttl(long nowMillis) {
    return freshnessLifetimeSeconds - age(nowMillis);
  }
}
