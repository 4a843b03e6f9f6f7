package fr.acclermont.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Remembers for a while the objects whose last response could not be stored or shared (no-store,
 * private, no length...), so the next requests for them pass straight through instead of sending
 * a probe first that would be thrown away: Varnish's "hit-for-pass". A response that becomes
 * cacheable is stored again once the memory expires (or an unsafe request invalidates the URL).
 * Thread-safe.
 */
public final class PassMemory {

  /** How long an object passes through after an unshareable response. */
  public static final Duration REMEMBER_FOR = Duration.ofMinutes(2);
  private static final long MAX_KEYS = 100_000;

  private final Cache<CacheKey, Boolean> keys;
  /** The objects whose last answer to a request with {@code Authorization} could not be shared. */
  private final Cache<CacheKey, Boolean> withCredentials;

  /** @param ticker the time source of the expiry (System::nanoTime outside tests) */
  public PassMemory(com.github.benmanes.caffeine.cache.Ticker ticker) {
    this.keys = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(REMEMBER_FOR).ticker(ticker)
        .executor(Runnable::run).build();
    this.withCredentials = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(REMEMBER_FOR).ticker(ticker)
        .executor(Runnable::run).build();
  }

  /**
   * The last answer for {@code key} to a request with {@code Authorization} could not be shared
   * (RFC 9111 3.5): that says nothing of the answers to requests without credentials, which are
   * still stored; only the requests with credentials pass.
   */
  public void rememberWithCredentials(CacheKey key) {
    withCredentials.put(key, Boolean.TRUE);
  }

  /** Whether requests for {@code key} that carry {@code Authorization} should pass through. */
  public boolean passesWithCredentials(CacheKey key) {
    return withCredentials.getIfPresent(key) != null;
  }

  /** The last response for {@code key} could not be shared. */
  public void remember(CacheKey key) {
    keys.put(key, Boolean.TRUE);
  }

  /** Whether requests for {@code key} should pass through. */
  public boolean passes(CacheKey key) {
    return keys.getIfPresent(key) != null;
  }

  /** The URL was invalidated: stop passing it. */
  public void forget(CacheKey key) {
    keys.invalidate(key);
    withCredentials.invalidate(key);
  }

  /** The objects whose key {@code which} accepts were purged: stop passing them. */
  public void forgetAll(Predicate<CacheKey> which) {
    keys.asMap().keySet().removeIf(which);
    withCredentials.asMap().keySet().removeIf(which);
  }
}
