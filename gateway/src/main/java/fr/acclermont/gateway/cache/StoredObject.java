package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The metadata of one complete stored object: what to replay and how fresh it is. The body lives
 * in slices ({@link SliceKey}) of the same {@code version}.
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
 */
public record StoredObject(CacheKey key, long version, int status, HttpHeaders headers, long length,
    int sliceSize, long requestTimeMillis, long responseTimeMillis, long dateMillis,
    long ageHeaderSeconds, long freshnessLifetimeSeconds) {

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
