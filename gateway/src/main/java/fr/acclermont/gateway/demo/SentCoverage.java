package fr.acclermont.gateway.demo;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many times each byte of one object was sent, counted up to twice: enough to tell the bytes
 * sent once from the bytes sent again. Its size depends on the distinct range boundaries seen,
 * not on the number of responses, so a long load test does not grow it without bound.
 *
 * <p>Not thread-safe: {@link OriginStats} synchronizes on the owning path.
 */
final class SentCoverage {

  /** Counts stop here: "sent more than once" needs no more. */
  private static final int MAX_COUNT = 2;

  /** The count from each key up to the next key; 0 before the first key. Adjacent counts differ. */
  private final TreeMap<Long, Integer> steps = new TreeMap<>();

  /** Adds one sending of bytes {@code [start, end)}; an empty or inverted range adds nothing. */
  void add(long start, long end) {
    if (start >= end) {
      return;
    }
    int atStart = countAt(start);
    int atEnd = countAt(end);
    steps.put(start, atStart);
    steps.put(end, atEnd);
    for (Map.Entry<Long, Integer> step : steps.subMap(start, true, end, false).entrySet()) {
      step.setValue(Math.min(MAX_COUNT, step.getValue() + 1));
    }
    // Drop the boundaries that no longer change the count, so equal neighbours merge.
    Map.Entry<Long, Integer> lower = steps.lowerEntry(start);
    int previous = lower == null ? 0 : lower.getValue();
    Iterator<Map.Entry<Long, Integer>> it = steps.subMap(start, true, end, true).entrySet().iterator();
    while (it.hasNext()) {
      int count = it.next().getValue();
      if (count == previous) {
        it.remove();
      } else {
        previous = count;
      }
    }
  }

  /** Returns how many bytes were sent at least once. */
  long sentAtLeastOnce() {
    return bytesCounted(1);
  }

  /** Returns how many bytes were sent two times or more. */
  long sentMoreThanOnce() {
    return bytesCounted(MAX_COUNT);
  }

  private long bytesCounted(int atLeast) {
    long total = 0;
    long countedFrom = -1;
    for (Map.Entry<Long, Integer> step : steps.entrySet()) {
      if (countedFrom >= 0) {
        total += step.getKey() - countedFrom;
      }
      countedFrom = step.getValue() >= atLeast ? step.getKey() : -1;
    }
    return total;
  }

  private int countAt(long offset) {
    Map.Entry<Long, Integer> step = steps.floorEntry(offset);
    return step == null ? 0 : step.getValue();
  }

  /** The number of boundaries kept (for tests of the bound). */
  int boundaries() {
    return steps.size();
  }
}
