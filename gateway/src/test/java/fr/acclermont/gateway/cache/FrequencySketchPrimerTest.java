package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A weighted Caffeine cache, read while it is less than half full, then flooded with one-offs of
 * twice its maximum: without priming it records no frequency before half full and the flood
 * evicts every entry; primed, the entries read ten times are kept.
 */
class FrequencySketchPrimerTest {

  private static final long MAX = 100_000;
  private static final int BOOK = 50;

  private static Cache<Integer, Integer> cache(AtomicInteger evictions) {
    return Caffeine.newBuilder().maximumWeight(MAX).weigher((Integer k, Integer weight) -> weight)
        .executor(Runnable::run).removalListener((Integer k, Integer v, RemovalCause c) -> {
          if (c.wasEvicted()) {
            evictions.incrementAndGet();
          }
        }).build();
  }

  private static long bookKeptAfterFlood(Cache<Integer, Integer> cache) {
    for (int i = 0; i < BOOK; i++) {
      cache.put(i, 200); // 10% of the maximum
    }
    for (int student = 0; student < 10; student++) {
      IntStream.range(0, BOOK).forEach(cache::getIfPresent);
    }
    for (int i = 0; i < 2_000; i++) {
      cache.put(1_000_000 + i, 100);
    }
    cache.cleanUp();
    return IntStream.range(0, BOOK).filter(i -> cache.policy().getIfPresentQuietly(i) != null).count();
  }

  @Test
  void primedCache_isEmptyAgain_andItsPlaceholdersWereNotEvictions() {
    AtomicInteger evictions = new AtomicInteger();
    Cache<Integer, Integer> cache = cache(evictions);
    long entries = FrequencySketchPrimer.entries(MAX, 100);
    FrequencySketchPrimer.prime(cache, entries, i -> (int) -(i + 1),
        i -> (int) FrequencySketchPrimer.placeholderWeight(MAX, entries));
    assertThat(cache.estimatedSize()).isZero();
    assertThat(cache.policy().eviction().orElseThrow().weightedSize().orElseThrow()).isZero();
    assertThat(evictions).hasValue(0);
  }

  @Test
  void primedYoungCache_keepsWhatWasRead_throughAFlood() {
    AtomicInteger evictions = new AtomicInteger();
    Cache<Integer, Integer> cache = cache(evictions);
    long entries = FrequencySketchPrimer.entries(MAX, 100);
    FrequencySketchPrimer.prime(cache, entries, i -> (int) -(i + 1),
        i -> (int) FrequencySketchPrimer.placeholderWeight(MAX, entries));
    assertThat(bookKeptAfterFlood(cache)).isEqualTo(BOOK);
  }

  @Test
  void unprimedYoungCache_losesWhatWasRead_theCaffeineBehaviourThePrimerIsFor() {
    // Recorded so that a Caffeine that sizes its sketch eagerly is noticed (the primer could go).
    assertThat(bookKeptAfterFlood(cache(new AtomicInteger()))).isZero();
  }

  @Test
  void entries_boundedBothWays() {
    assertThat(FrequencySketchPrimer.entries(1L << 20, 16 * 1024)).isEqualTo(FrequencySketchPrimer.MIN_ENTRIES);
    assertThat(FrequencySketchPrimer.entries(512L << 20, 16 * 1024)).isEqualTo(32 * 1024);
    assertThat(FrequencySketchPrimer.entries(1L << 50, 1)).isEqualTo(FrequencySketchPrimer.MAX_ENTRIES);
    assertThat(FrequencySketchPrimer.placeholderWeight(10, 1024)).isEqualTo(1);
  }
}
