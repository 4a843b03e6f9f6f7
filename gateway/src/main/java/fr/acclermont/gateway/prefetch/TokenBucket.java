package fr.acclermont.gateway.prefetch;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The rate cap of prefetching ({@code prefetch.max-rate}): a token bucket of body bytes, refilled
 * at the rate up to one run's worth. A fetch is started only when the bucket is not in debt, and
 * its bytes are taken once they arrived (what a fetch brings is known only then), so over a run of
 * fetches the origin sends at most the rate on average, give or take one run. Not thread-safe: the
 * prefetch's thread only.
 */
final class TokenBucket {

  private final double bytesPerNano;
  private final double capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long lastNanos;
  private long takenBytes;

  /**
   * @param bytesPerSecond the rate; 0 for no cap
   * @param capacity the most bytes taken at once before the rate applies (one run)
   */
  TokenBucket(long bytesPerSecond, long capacity, LongSupplier nanoTime) {
    this.bytesPerNano = bytesPerSecond / 1e9;
    this.capacity = capacity;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.lastNanos = nanoTime.getAsLong();
  }

  /** The rate in bytes per second; 0 for no cap (for tests). */
  long bytesPerSecond() {
    return Math.round(bytesPerNano * 1e9);
  }

  /** The most bytes taken at once before the rate applies (for tests). */
  long capacity() {
    return (long) capacity;
  }

  /** Whether there is a cap at all. */
  boolean capped() {
    return bytesPerNano > 0;
  }

  /** How long to wait before the next fetch may start: 0 unless the bucket is in debt. */
  long delayNanos() {
    if (!capped()) {
      return 0;
    }
    refill();
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerNano);
  }

  /** The delay in milliseconds, rounded up. */
  long delayMillis() {
    long nanos = delayNanos();
    return nanos == 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  /** Takes the bytes a fetch brought. */
  void take(long bytes) {
    if (!capped()) {
      return;
    }
    refill();
    tokens -= bytes;
    takenBytes += bytes;
  }

  /** The bytes taken since creation (for tests). */
  long takenBytes() {
    return takenBytes;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - lastNanos) * bytesPerNano);
    lastNanos = now;
  }
}
