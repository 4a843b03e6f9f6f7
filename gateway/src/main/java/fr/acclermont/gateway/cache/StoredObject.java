package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;

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
 * @param dateMillis the origin's {@code Date}, or the response time when absent
 * @param ageHeaderSeconds the origin's {@code Age}, or 0
 * @param freshnessLifetimeSeconds how long it stays fresh (RFC 9111 4.2.1)
 * @param rangeable whether missing slices may be fetched by range (the origin answered a range
 *     with 206); otherwise the object was fetched whole and a missing slice makes it unreadable
 */
public record StoredObject(CacheKey key, long version, int status, HttpHeaders headers, long length,
    int sliceSize, long requestTimeMillis, long responseTimeMillis, long dateMillis,
    long ageHeaderSeconds, long freshnessLifetimeSeconds, boolean rangeable) {

  /** Validates the components. */
  public StoredObject {
    requireNonNull(key, "key");
    requireNonNull(headers, "headers");
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
    return headers.get(io.netty.handler.codec.http.HttpHeaderNames.ETAG);
  }

  /** The {@code Last-Modified} value, or null. */
  public String lastModified() {
    return headers.get(io.netty.handler.codec.http.HttpHeaderNames.LAST_MODIFIED);
  }

  /** The current age in seconds (RFC 9111 4.2.3). */
  public long age(long nowMillis) {
    return CachePolicy.currentAge(ageHeaderSeconds, dateMillis, requestTimeMillis, responseTimeMillis, nowMillis);
  }

  /** Whether it may be served without asking the origin. */
  public boolean isFresh(long nowMillis) {
    return freshnessLifetimeSeconds > age(nowMillis);
  }

  /** Seconds of freshness left (negative when stale), for {@code Cache-Status: ttl}. */
  public long ttl(long nowMillis) {
    return freshnessLifetimeSeconds - age(nowMillis);
  }
}
