package fr.acclermont.loadtest.client;

/**
 * The single byte range a request asks for: either {@code first..last} or the last
 * {@code suffixLength} bytes.
 *
 * @param first the first byte, or -1 for a suffix range
 * @param last the last byte (inclusive), or -1 for a suffix range
 * @param suffixLength how many bytes at the end, or -1 for a {@code first..last} range
 */
public record RangeSpec(long first, long last, long suffixLength) {

  /** Validates the components. */
  public RangeSpec {
    boolean suffix = suffixLength >= 0;
    if (suffix ? (first != -1 || last != -1 || suffixLength == 0) : (first < 0 || last < first)) {
      throw new IllegalArgumentException("range: first=" + first + ", last=" + last + ", suffix=" + suffixLength
          + " (expected: 0 <= first <= last, or a suffix length >= 1)");
    }
  }

  /** Returns the range of {@code length} bytes from {@code first}. */
  public static RangeSpec of(long first, long length) {
    return new RangeSpec(first, first + length - 1, -1);
  }

  /** Returns the range of the last {@code length} bytes, as {@code bytes=-length}. */
  public static RangeSpec suffix(long length) {
    return new RangeSpec(-1, -1, length);
  }

  /** Returns the {@code Range} header value, e.g. {@code bytes=0-65535} or {@code bytes=-65536}. */
  public String header() {
    return suffixLength >= 0 ? "bytes=-" + suffixLength : "bytes=" + first + "-" + last;
  }

  /** Returns the first byte a server must send for a representation of {@code total} bytes. */
  public long firstIn(long total) {
    return suffixLength >= 0 ? Math.max(0, total - suffixLength) : first;
  }

  /** Returns the last byte (inclusive) a server must send for a representation of {@code total} bytes. */
  public long lastIn(long total) {
    return suffixLength >= 0 ? total - 1 : Math.min(last, total - 1);
  }
}
