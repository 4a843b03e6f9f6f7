package fr.acclermont.gateway.testing;

import java.util.ArrayList;
import java.util.List;

/** The {@code Range} headers a test gateway (1 MiB slices) sends the origin for a cold object. */
public final class SliceRanges {

  /** The test gateways' slice size. */
  public static final int SLICE = 1 << 20;
  /** The probe of a whole-object GET: the first slice (the length is not known yet). */
  public static final String PROBE = "bytes=0-" + (SLICE - 1);

  private SliceRanges() {
  }

  /**
   * The {@code Range} of each slice fetch of a cold {@code length}-byte object, in order: the probe
   * asks for a whole slice, each later fetch for its slice's bytes.
   */
  public static List<String> of(long length) {
    List<String> ranges = new ArrayList<>(List.of(PROBE));
    for (long first = SLICE; first < length; first += SLICE) {
      ranges.add("bytes=" + first + "-" + (Math.min(first + SLICE, length) - 1));
    }
    return ranges;
  }
}
