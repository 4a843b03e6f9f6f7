package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as written in the configuration: a whole number of bytes ({@code 1048576}), or a
 * whole number followed by a binary unit: {@code KiB} (1024), {@code MiB} (1024²) or {@code GiB}
 * (1024³), as in {@code 64KiB}, {@code 512MiB}, {@code 1GiB}. Units are case-sensitive; there are
 * no fractions, signs or spaces. Stateless and thread-safe.
 */
public final class Sizes {

  /** The expected form, as quoted in error messages. */
  static final String FORM = "a size such as 512MiB";

  private static final long KIB = 1024L;
  private static final long MIB = 1024L * KIB;
  private static final long GIB = 1024L * MIB;
  private static final Pattern SIZE = Pattern.compile("([0-9]+)(KiB|MiB|GiB)?");

  private Sizes() {}

  /**
   * Parses a size.
   *
   * @param text a size such as {@code 512MiB}, {@code 1GiB}, {@code 64KiB} or {@code 1048576}
   * @return the size in bytes, {@code >= 0}
   * @throws IllegalArgumentException if {@code text} is not a size or does not fit in a
   *     {@code long}; the message shows the text and the expected form
   */
  public static long parse(String text) {
    requireNonNull(text, "text");
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw invalid(text);
    }
    try {
      long number = Long.parseLong(m.group(1));
      return Math.multiplyExact(number, unitBytes(m.group(2)));
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(text);
    }
  }

  /**
   * Formats a size in the largest unit that represents it exactly, so that
   * {@code parse(format(bytes)) == bytes}: {@code 536870912} gives {@code 512MiB}, {@code 1536}
   * gives {@code 1536} (not a whole number of KiB), {@code 2048} gives {@code 2KiB}, {@code 0}
   * gives {@code 0}.
   *
   * @param bytes a size in bytes, {@code >= 0}
   * @return the size as written in the configuration
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public static String format(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    if (bytes == 0) {
      return "0";
    }
    if (bytes % GIB == 0) {
      return bytes / GIB + "GiB";
    }
    if (bytes % MIB == 0) {
      return bytes / MIB + "MiB";
    }
    if (bytes % KIB == 0) {
      return bytes / KIB + "KiB";
    }
    return Long.toString(bytes);
  }

  private static long unitBytes(String unit) {
    if (unit == null) {
      return 1;
    }
    return switch (unit) {
      case "KiB" -> KIB;
      case "MiB" -> MIB;
      default -> GIB;
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(Messages.quote(text) + " (expected " + FORM + ")");
  }
}
