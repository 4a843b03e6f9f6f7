package fr.acclermont.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cache.min-uses}: a URL's body is stored only from its N-th request within
 * {@link #WINDOW} (nginx's {@code proxy_cache_min_uses}); before that its misses pass through
 * unstored. With N = 2 a one-off URL (a flood of distinct names, random query strings) never enters
 * either tier, so it can evict nothing, whatever the memory tier's W-TinyLFU has learnt so far.
 * Counted per URL (its primary key: every variant together), at the object's miss only: a stored
 * object's missing slices are fetched as always. N = 1 (the default) counts nothing.
 *
 * <p>Thread-safe. Bounded: a URL whose count is forgotten (a flood of others) starts again from 0.
 */
public final class MinUses {

  /** How long a URL's requests are counted from its first. */
  public static final Duration WINDOW = Duration.ofMinutes(10);
  private static final long MAX_URLS = 200_000;

  private final int minUses;
  private final Cache<CacheKey, AtomicInteger> uses;
  private final AtomicLong passed = new AtomicLong();

  /**
   * @param minUses the request from which a URL's body is stored, 1..16
   * @param ticker the time source of the window (System::nanoTime outside tests)
   */
  public MinUses(int minUses, Ticker ticker) {
    this.minUses = minUses;
    this.uses = Caffeine.newBuilder().maximumSize(MAX_URLS).expireAfterWrite(WINDOW).ticker(ticker)
        .executor(Runnable::run).build();
  }

  /**
   * Counts a request that missed {@code key}'s URL; whether its answer may be stored (this is at
   * least its {@code min-uses}-th request within the window). A refusal is counted in
   * {@link #passed}.
   */
  public boolean stores(CacheKey key) {
    if (minUses <= 1) {
      return true;
    }
    int count = uses.get(key.primary(), url -> new AtomicInteger()).incrementAndGet();
    if (count >= minUses) {
      return true;
    }
    passed.incrementAndGet();
    return false;
  }

  /** Misses passed through unstored for want of uses ({@code gateway_cache_min_uses_passed_total}). */
  public long passed() {
    return passed.get();
  }
}
