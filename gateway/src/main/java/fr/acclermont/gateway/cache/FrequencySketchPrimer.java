package fr.acclermont.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.function.LongFunction;

/**
 * Makes a new weighted Caffeine cache count its entries' frequencies from the first access, so that
 * W-TinyLFU keeps a book that a class read right after a start through a later flood of one-off
 * URLs.
 *
 * <p>Why it is needed: Caffeine (3.3.1) sizes a cache's frequency sketch lazily. Until the
 * weighted size first reaches half the maximum the sketch is absent and every access goes
 * uncounted; then it is sized from the entry count of that moment, and reallocated (its counts
 * lost) each time the entry count outgrows it. A young tier's book therefore looks as rare as any
 * one-off, and the flood that fills the tier evicts it. {@code initialCapacity} sizes only the
 * hash table, and {@code setMaximum} sizes the sketch only for unweighted caches: there is no
 * public lever, so this fills the new cache to its maximum with placeholder entries (sizing the
 * sketch for {@code entries}) and removes them again. The sketch keeps its size; the cache is
 * empty as before.
 *
 * <p>The placeholders must weigh {@link #placeholderWeight} each under the cache's weigher, and
 * the cache's removal listener must ignore them (they are removed explicitly, never evicted).
 */
public final class FrequencySketchPrimer {

  /** The fewest entries a sketch is sized for. */
  static final long MIN_ENTRIES = 1024;
  /**
   * The most: 4 Mi entries cost a 32 MiB sketch (one long per entry) and about a second of start-up
   * for the placeholders.
   */
  static final long MAX_ENTRIES = 1L << 22;

  private FrequencySketchPrimer() {}

  /** How many entries a cache of {@code maxWeight} is expected to hold with entries of about {@code typicalWeight}. */
  public static long entries(long maxWeight, long typicalWeight) {
    return Math.max(MIN_ENTRIES, Math.min(MAX_ENTRIES, maxWeight / Math.max(1, typicalWeight)));
  }

  /** The weight of each placeholder: {@code entries} of them fill the maximum without exceeding it. */
  public static long placeholderWeight(long maxWeight, long entries) {
    return Math.max(1, maxWeight / entries);
  }

  /**
   * Fills the new, empty {@code cache} with {@code entries} placeholders, then removes them all.
   * Runs the cache's maintenance on the calling thread.
   *
   * @param keys the key of placeholder number {@code i} (0..entries-1)
   * @param values its value
   */
  public static <K, V> void prime(Cache<K, V> cache, long entries, LongFunction<K> keys, LongFunction<V> values) {
    for (long i = 0; i < entries; i++) {
      cache.put(keys.apply(i), values.apply(i));
    }
    cache.cleanUp(); // the insertions are replayed into the policy, which sizes the sketch
    cache.invalidateAll();
    cache.cleanUp();
  }
}
