package fr.acclermont.loadtest.classroom;

import java.util.SplittableRandom;

/**
 * A Zipf distribution over ranks {@code 0..n-1}: rank {@code k} is drawn with a probability
 * proportional to {@code 1 / (k + 1)^s}. With s = 1, the first book is opened twice as often as
 * the second and three times as often as the third. Immutable.
 */
final class Zipf {

  private final double[] cumulative;

  Zipf(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
  }

  /** Draws a rank. */
  int sample(SplittableRandom random) {
    double u = random.nextDouble();
    for (int k = 0; k < cumulative.length; k++) {
      if (u < cumulative[k]) {
        return k;
      }
    }
    return cumulative.length - 1;
  }
}
