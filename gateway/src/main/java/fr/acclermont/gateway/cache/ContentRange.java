package fr.acclermont.gateway.cache;

import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code Content-Range: bytes first-last/length} of a 206 (RFC 9110 14.4), as the origin
 * sent it. The unknown-length form ({@code /*}) and every malformed value parse to null: such a
 * response cannot be placed in the object, so it is not stored.
 *
 * @param first the first byte position
 * @param last the last byte position (inclusive)
 * @param length the complete representation's length
 */
public record ContentRange(long first, long last, long length) {

  /** Parses a value, or returns null if it is absent, malformed or inconsistent. */
  public static @Nullable ContentRange parse(@Nullable String value) {
    if (value == null || !value.regionMatches(true, 0, "bytes ", 0, 6)) {
      return null;
    }
    int dash = value.indexOf('-', 6);
    int slash = value.indexOf('/', 6);
    if (dash < 0 || slash < dash) {
      return null;
    }
    long first = digits(value.substring(6, dash).trim());
    long last = digits(value.substring(dash + 1, slash).trim());
    long length = digits(value.substring(slash + 1).trim());
    if (first < 0 || last < first || length <= last) {
      return null;
    }
    return new ContentRange(first, last, length);
  }

  /** A non-negative decimal of ASCII digits only, or -1. */
  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  /** The number of bytes in the range. */
  public long size() {
    return last - first + 1;
  }
}
