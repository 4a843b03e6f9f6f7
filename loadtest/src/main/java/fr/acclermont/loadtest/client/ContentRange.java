package fr.acclermont.loadtest.client;

import org.jspecify.annotations.Nullable;

/**
 * A {@code Content-Range: bytes first-last/total} header value (RFC 9110 §14.4).
 *
 * @param first the first byte sent
 * @param last the last byte sent (inclusive)
 * @param total the representation's length, or -1 when the server wrote {@code *}
 */
record ContentRange(long first, long last, long total) {

  private static final String UNIT = "bytes ";

  /** Returns the parsed value, or {@code null} if {@code header} is absent or not a satisfied byte range. */
  static @Nullable ContentRange parse(@Nullable String header) {
    if (header == null || !header.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
      return null;
    }
    String spec = header.substring(UNIT.length()).trim();
    int dash = spec.indexOf('-');
    int slash = spec.indexOf('/');
    if (dash <= 0 || slash < dash) {
      return null;
    }
    long first = number(spec.substring(0, dash));
    long last = number(spec.substring(dash + 1, slash));
    String totalText = spec.substring(slash + 1);
    boolean unknownTotal = totalText.equals("*");
    long total = unknownTotal ? -1 : number(totalText);
    if (first < 0 || last < first || (!unknownTotal && (total < 0 || last >= total))) {
      return null;
    }
    return new ContentRange(first, last, total);
  }

  /** Returns the number of bytes in the range. */
  long length() {
    return last - first + 1;
  }

  private static long number(String digits) {
    if (digits.isEmpty() || digits.length() > 18) {
      return -2;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -2;
      }
    }
    return Long.parseLong(digits);
  }
}
