package fr.acclermont.loadtest.origin;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A link rate in bits per second, decimal as network rates are ({@code 100mbit} is
 * 100,000,000 bit/s), or {@link #unlimited()}. Immutable value.
 */
public final class Bandwidth {

  /** The smallest rate accepted. */
  public static final long MIN_BITS_PER_SECOND = 1_000;
  /** The largest rate accepted. */
  public static final long MAX_BITS_PER_SECOND = 100_000_000_000L;

  private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(kbit|mbit|gbit)");
  private static final String UNLIMITED_TEXT = "unlimited";
  private static final Bandwidth UNLIMITED = new Bandwidth(0);
  private static final String[] UNITS = {"gbit", "mbit", "kbit"};
  private static final long[] UNIT_BITS = {1_000_000_000L, 1_000_000L, 1_000L};

  /** Bits per second; 0 for unlimited. */
  private final long bitsPerSecond;

  private Bandwidth(long bitsPerSecond) {
    this.bitsPerSecond = bitsPerSecond;
  }

  /** Returns the absence of a limit. */
  public static Bandwidth unlimited() {
    return UNLIMITED;
  }

  /**
   * Returns a rate of {@code bitsPerSecond}.
   *
   * @throws IllegalArgumentException if it is outside {@value #MIN_BITS_PER_SECOND} to
   *     {@value #MAX_BITS_PER_SECOND}
   */
  public static Bandwidth ofBitsPerSecond(long bitsPerSecond) {
    if (bitsPerSecond < MIN_BITS_PER_SECOND || bitsPerSecond > MAX_BITS_PER_SECOND) {
      throw new IllegalArgumentException("bitsPerSecond: " + bitsPerSecond
          + " (expected: " + MIN_BITS_PER_SECOND + "-" + MAX_BITS_PER_SECOND + ")");
    }
    return new Bandwidth(bitsPerSecond);
  }

  /**
   * Parses a rate such as {@code 100mbit}, {@code 2.5mbit}, {@code 500kbit}, {@code 1gbit}
   * (any case), or {@code unlimited}.
   *
   * @throws IllegalArgumentException if {@code text} is not such a rate or is outside 1kbit to
   *     100gbit; the message quotes the text and gives the expected form
   */
  public static Bandwidth parse(String text) {
    requireNonNull(text, "text");
    String lower = text.trim().toLowerCase(Locale.ROOT);
    if (lower.equals(UNLIMITED_TEXT)) {
      return UNLIMITED;
    }
    Matcher m = RATE.matcher(lower);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          Flags.quote(text) + " (expected e.g. 100mbit, 10mbit, 1gbit or unlimited)");
    }
    BigDecimal bits = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitBits(m.group(2))));
    if (bits.compareTo(BigDecimal.valueOf(MIN_BITS_PER_SECOND)) < 0
        || bits.compareTo(BigDecimal.valueOf(MAX_BITS_PER_SECOND)) > 0) {
      throw new IllegalArgumentException(
          Flags.quote(text) + " (expected a rate from 1kbit to 100gbit, or unlimited)");
    }
    return new Bandwidth(bits.longValue());
  }

  /** Returns whether there is no limit. */
  public boolean isUnlimited() {
    return bitsPerSecond == 0;
  }

  /** Returns the rate in bits per second; 0 when unlimited. */
  public long bitsPerSecond() {
    return bitsPerSecond;
  }

  /** Returns the rate in bytes per second (at least 1); 0 when unlimited. */
  public long bytesPerSecond() {
    return isUnlimited() ? 0 : Math.max(1, bitsPerSecond / Byte.SIZE);
  }

  /** Returns the rate as {@link #parse(String)} reads it, e.g. {@code 100mbit}, {@code 2.5mbit}. */
  @Override
  public String toString() {
    if (isUnlimited()) {
      return UNLIMITED_TEXT;
    }
    for (int i = 0; i < UNITS.length; i++) {
      if (bitsPerSecond >= UNIT_BITS[i]) {
        return BigDecimal.valueOf(bitsPerSecond).divide(BigDecimal.valueOf(UNIT_BITS[i]))
            .stripTrailingZeros().toPlainString() + UNITS[i];
      }
    }
    throw new AssertionError("below the minimum: " + bitsPerSecond);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Bandwidth that && bitsPerSecond == that.bitsPerSecond;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bitsPerSecond);
  }

  private static long unitBits(String unit) {
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(unit)) {
        return UNIT_BITS[i];
      }
    }
    throw new AssertionError(unit);
  }
}
