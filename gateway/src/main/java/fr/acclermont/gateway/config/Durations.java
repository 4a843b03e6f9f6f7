package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the configuration: a whole number followed by a unit, {@code ms}
 * (milliseconds), {@code s}, {@code m} (minutes), {@code h} or {@code d} (24 hours), as in
 * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}. A plain number is refused: the
 * unit is never implied. Stateless and thread-safe.
 */
public final class Durations {

  /** The expected form, as quoted in error messages. */
  static final String FORM =
      "a duration such as 10s or 500ms: a whole number followed by ms, s, m, h or d";

  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
  private static final long SECONDS_PER_MINUTE = 60;
  private static final long SECONDS_PER_HOUR = 60 * SECONDS_PER_MINUTE;
  private static final long SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR;
  private static final int NANOS_PER_MILLI = 1_000_000;

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @param text a duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h} or {@code 1d}
   * @return the duration, never negative
   * @throws IllegalArgumentException if {@code text} is not a duration (a plain number included) or
   *     is too large for {@link Duration}; the message shows the text and the expected form
   */
  public static Duration parse(String text) {
    requireNonNull(text, "text");
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw invalid(text);
    }
    try {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(text);
    }
  }

  /**
   * Formats a duration in the largest unit that represents it exactly, so that
   * {@code parse(format(d)).equals(d)}: 90 seconds gives {@code 90s}, 120 seconds gives {@code 2m},
   * 1500 milliseconds gives {@code 1500ms}, zero gives {@code 0s}.
   *
   * @param duration a duration that is not negative and is a whole number of milliseconds
   * @return the duration as written in the configuration
   * @throws IllegalArgumentException if {@code duration} is negative or has a fraction of a
   *     millisecond
   */
  public static String format(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.getNano() % NANOS_PER_MILLI != 0) {
      throw new IllegalArgumentException(
          "duration: " + duration + " (expected: >= 0 and a whole number of milliseconds)");
    }
    long seconds = duration.getSeconds();
    int millis = duration.getNano() / NANOS_PER_MILLI;
    if (millis != 0) {
      // BigInteger: seconds * 1000 may not fit in a long for the largest durations.
      return BigInteger.valueOf(seconds).multiply(BigInteger.valueOf(1000))
          .add(BigInteger.valueOf(millis)) + "ms";
    }
    if (seconds == 0) {
      return "0s";
    }
    if (seconds % SECONDS_PER_DAY == 0) {
      return seconds / SECONDS_PER_DAY + "d";
    }
    if (seconds % SECONDS_PER_HOUR == 0) {
      return seconds / SECONDS_PER_HOUR + "h";
    }
    if (seconds % SECONDS_PER_MINUTE == 0) {
      return seconds / SECONDS_PER_MINUTE + "m";
    }
    return seconds + "s";
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(Messages.quote(text) + " (expected " + FORM + ")");
  }
}
