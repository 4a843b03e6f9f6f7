package fr.acclermont.loadtest.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Formats figures for people: milliseconds, seconds and byte counts, with sensible precision. */
final class Figures {

  private static final double KIB = 1024.0;
  private static final double MIB = KIB * 1024;
  private static final double GIB = MIB * 1024;

  private Figures() {}

  /** Formats milliseconds with three significant digits or so: {@code 0.84}, {@code 51.2}, {@code 1034}. */
  static String millis(double millis) {
    if (millis < 10) {
      return String.format(Locale.ROOT, "%.2f", millis);
    }
    if (millis < 100) {
      return String.format(Locale.ROOT, "%.1f", millis);
    }
    return String.format(Locale.ROOT, "%.0f", millis);
  }

  /** Formats a latency for a headline: {@code 840 ms}, {@code 1.23 s}. */
  static String duration(double millis) {
    if (millis < 1000) {
      return millis(millis) + " ms";
    }
    return String.format(Locale.ROOT, millis < 10_000 ? "%.2f s" : "%.1f s", millis / 1000);
  }

  /** Formats a round axis value: {@code 0.1 ms}, {@code 20 ms}, {@code 1 s}, {@code 50 s}. */
  static String axisDuration(double millis) {
    return millis >= 1000 ? plain(millis / 1000) + " s" : plain(millis) + " ms";
  }

  /** Formats a byte count: {@code 812 B}, {@code 31.5 KiB}, {@code 41.2 MiB}, {@code 1.20 GiB}. */
  static String bytes(long bytes) {
    if (bytes < KIB) {
      return bytes + " B";
    }
    if (bytes < MIB) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / KIB);
    }
    if (bytes < GIB) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / GIB);
  }

  /** Formats a number with one decimal. */
  static String oneDecimal(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** Formats a ratio with two decimals. */
  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
