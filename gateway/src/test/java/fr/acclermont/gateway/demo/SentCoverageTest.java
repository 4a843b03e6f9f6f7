package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-object count of bytes sent once and more than once. */
class SentCoverageTest {

  private final SentCoverage coverage = new SentCoverage();

  @Test
  void add_disjointRanges_nothingSentTwice() {
    coverage.add(0, 100);
    coverage.add(200, 300);

    assertThat(coverage.sentAtLeastOnce()).isEqualTo(200);
    assertThat(coverage.sentMoreThanOnce()).isZero();
  }

  @Test
  void add_adjacentRanges_mergeIntoOneWithNothingSentTwice() {
    for (long slice = 0; slice < 20; slice++) {
      coverage.add(slice << 20, (slice + 1) << 20);
    }

    assertThat(coverage.sentAtLeastOnce()).isEqualTo(20L << 20);
    assertThat(coverage.sentMoreThanOnce()).isZero();
    assertThat(coverage.boundaries()).isEqualTo(2);
  }

  @Test
  void add_overlappingRanges_overlapSentTwice() {
    coverage.add(0, 100);
    coverage.add(50, 150);

    assertThat(coverage.sentAtLeastOnce()).isEqualTo(150);
    assertThat(coverage.sentMoreThanOnce()).isEqualTo(50);
  }

  @Test
  void add_nestedAndRepeatedRanges_eachByteCountedOnceInTheTotal() {
    coverage.add(0, 1000);
    coverage.add(100, 200);
    coverage.add(100, 200);
    coverage.add(150, 400);

    assertThat(coverage.sentAtLeastOnce()).isEqualTo(1000);
    assertThat(coverage.sentMoreThanOnce()).isEqualTo(300);
  }

  @Test
  void add_emptyOrInvertedRange_nothing() {
    coverage.add(10, 10);
    coverage.add(20, 10);

    assertThat(coverage.sentAtLeastOnce()).isZero();
    assertThat(coverage.boundaries()).isZero();
  }

  @Test
  void add_wholeObjectManyTimes_sizeStaysBounded() {
    for (int i = 0; i < 1000; i++) {
      coverage.add(0, 1 << 20);
    }

    assertThat(coverage.sentMoreThanOnce()).isEqualTo(1 << 20);
    assertThat(coverage.boundaries()).isEqualTo(2);
  }

  @Test
  void add_randomRanges_matchesAByteByByteCount() {
    SplittableRandom random = new SplittableRandom(42);
    int[] counts = new int[4096];
    for (int i = 0; i < 300; i++) {
      int start = random.nextInt(counts.length);
      int end = start + random.nextInt(counts.length - start + 1);
      coverage.add(start, end);
      for (int b = start; b < end; b++) {
        counts[b]++;
      }
    }
    long once = 0;
    long twice = 0;
    for (int count : counts) {
      once += count >= 1 ? 1 : 0;
      twice += count >= 2 ? 1 : 0;
    }

    assertThat(coverage.sentAtLeastOnce()).isEqualTo(once);
    assertThat(coverage.sentMoreThanOnce()).isEqualTo(twice);
  }
}
