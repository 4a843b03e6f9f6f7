package fr.acclermont.gateway.cache;

/**
 * What a {@code Range} request header asks of a representation of a known length (RFC 9110
 * §14). Only a single byte range is honoured; anything else is served whole.
 *
 * @param outcome what to answer
 * @param first the first byte of a {@link Outcome#PARTIAL} range
 * @param last the last byte (inclusive) of a {@link Outcome#PARTIAL} range
 */
public record ByteRange(Outcome outcome, long first, long last) {

  /** What the origin answers to a range request. */
  public enum Outcome {
    /** 200 with the whole body: no header, a malformed one, or several ranges. */
    FULL,
    /** 206 with the bytes {@code first..last}. */
    PARTIAL,
    /** 416: the range starts at or past the end. */
    UNSATISFIABLE
  }

  private static final ByteRange FULL = new ByteRange(Outcome.FULL, 0, -1);
  private static final ByteRange UNSATISFIABLE = new ByteRange(Outcome.UNSATISFIABLE, 0, -1);
  private static final String BYTES_UNIT = "bytes=";

  /**
   * Evaluates {@code header} (may be {@code null}) against a representation of {@code length}
   * bytes. {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n} are honoured; several ranges
   * are answered whole, as RFC 9110 allows; a malformed header is ignored, as it requires.
   */
  public static ByteRange of(String header, long length) {
    if (header == null || !header.regionMatches(true, 0, BYTES_UNIT, 0, BYTES_UNIT.length())) {
      return FULL;
    }
    String spec = header.substring(BYTES_UNIT.length()).trim();
    int dash = spec.indexOf('-');
    if (spec.indexOf(',') >= 0 || dash < 0) {
      return FULL;
    }
    long start = parse(spec.substring(0, dash).trim());
    long end = parse(spec.substring(dash + 1).trim());
    if (dash == 0) {
      return suffix(end, length);
    }
    if (start < 0 || (end < 0 && dash != spec.length() - 1) || (end >= 0 && end < start)) {
      return FULL;
    }
    if (start >= length) {
      return UNSATISFIABLE;
    }
    long last = end < 0 ? length - 1 : Math.min(end, length - 1);
    return new ByteRange(Outcome.PARTIAL, start, last);
  }

  /** Returns the number of bytes in the range. */
  public long length() {
    return last - first + 1;
  }

  /** Returns the {@code Content-Range} value of this outcome for a body of {@code total} bytes. */
  public String contentRange(long total) {
    return outcome == Outcome.PARTIAL
        ? "bytes " + first + "-" + last + "/" + total
        : "bytes */" + total;
  }

  private static ByteRange suffix(long suffixLength, long length) {
    if (suffixLength < 0) {
      return FULL;
    }
    if (suffixLength == 0 || length == 0) {
      return UNSATISFIABLE;
    }
    return new ByteRange(Outcome.PARTIAL, Math.max(0, length - suffixLength), length - 1);
  }

  /**
   * Parses a non-negative decimal, or returns -1 when it is empty or not one. Values too large
   * for a long saturate: they are past the end of any representation, not malformed.
   */
  private static long parse(String digits) {
    if (digits.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }
}
