package fr.acclermont.loadtest.report;

import org.HdrHistogram.Histogram;

/**
 * The summary of one latency histogram, in milliseconds. HdrHistogram reports the highest value
 * equivalent to a recorded one (within 0.1 %), so no figure is ever below what was measured.
 *
 * @param count how many values were recorded
 * @param mean the mean, 0 when empty
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param p9999 the 99.99th percentile
 * @param max the largest value
 */
public record Percentiles(long count, double mean, double p50, double p90, double p99, double p999, double p9999,
    double max) {

  private static final double MICROS_PER_MILLI = 1000.0;

  /** Returns the summary of {@code histogram}, whose values are microseconds. */
  public static Percentiles of(Histogram histogram) {
    long count = histogram.getTotalCount();
    if (count == 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
    }
    return new Percentiles(count, histogram.getMean() / MICROS_PER_MILLI,
        millis(histogram, 50), millis(histogram, 90), millis(histogram, 99), millis(histogram, 99.9),
        millis(histogram, 99.99), histogram.highestEquivalentValue(histogram.getMaxValue()) / MICROS_PER_MILLI);
  }

  /** Returns whether nothing was recorded. */
  public boolean isEmpty() {
    return count == 0;
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getValueAtPercentile(percentile) / MICROS_PER_MILLI;
  }
}
