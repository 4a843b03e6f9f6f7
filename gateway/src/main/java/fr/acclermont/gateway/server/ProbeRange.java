package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.ByteRange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The {@code Range} of the probe that a client leads on a cold object: at most one slice, the
 * bytes the client wants first. A whole-object GET probes the first slice; {@code bytes=a-b} probes
 * from {@code a} to the end of its slice or {@code b}; a suffix {@code bytes=-n} probes the last
 * {@code min(n, slice)} bytes. Demand first: a reader of 64 KiB in the middle of a PDF waits for
 * 64 KiB, not for a whole slice.
 */
final class ProbeRange {

  private ProbeRange() {
  }

  /** The {@code {first, last}} bytes of a probe range from {@link #of}, or null for a suffix. */
  static long @org.jspecify.annotations.Nullable [] bounds(String probeRange) {
    int dash = probeRange.indexOf('-');
    if (dash == "bytes=".length()) {
      return null;
    }
    return new long[] {Long.parseLong(probeRange.substring("bytes=".length(), dash)),
        Long.parseLong(probeRange.substring(dash + 1))};
  }

  static String of(HttpHeaders requestHeaders, int sliceSize) {
    String header = requestHeaders.get(HttpHeaderNames.RANGE);
    String whole = "bytes=0-" + (sliceSize - 1);
    if (header == null) {
      return whole;
    }
    // Against an unbounded length, a suffix shows as a start counted back from the end.
    ByteRange range = ByteRange.of(header, Long.MAX_VALUE);
    if (range.outcome() != ByteRange.Outcome.PARTIAL) {
      return whole;
    }
    if (header.substring(header.indexOf('=') + 1).trim().startsWith("-")) {
      return "bytes=-" + Math.min(range.length(), sliceSize);
    }
    long sliceEnd = (range.first() / sliceSize + 1) * sliceSize - 1;
    return "bytes=" + range.first() + "-" + Math.min(range.last(), sliceEnd);
  }
}
