package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Everything the report of a scenario on one object ({@code cold-object}, {@code random-ranges})
 * shows: the object, the round its clients ran (one student record per client), and what the
 * origin served for the object's path.
 *
 * @param command the command, {@code cold-object} or {@code random-ranges}
 * @param title a one-line description, e.g. {@code 35 clients GET /blobs/20MiB/cold-x at once}
 * @param target the target URL
 * @param origin the origin URL whose stats give the uplink figures, or {@code null}
 * @param startedAt when the run started
 * @param settings the run's settings by flag name without dashes, as in {@link RunReport}
 * @param path the object's path
 * @param objectBytes the object's length
 * @param distinctBytes the distinct bytes of the object the clients asked for, all together: the
 *     length of the union of the requested ranges (the whole object for a plain GET)
 * @param round the clients' round; its kinds are merged here, the report names none
 * @param pathUplink the origin's requests and body bytes for the object's path during the round,
 *     or {@code null} when no origin was given
 */
public record ObjectRun(String command, String title, String target, @Nullable String origin, Instant startedAt,
    Map<String, Object> settings, String path, long objectBytes, long distinctBytes, RoundResult round,
    @Nullable UplinkFigures pathUplink) {

  /** Validates and freezes the components. */
  public ObjectRun {
    requireNonNull(command, "command");
    requireNonNull(title, "title");
    requireNonNull(target, "target");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(path, "path");
    requireNonNull(round, "round");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    if (objectBytes < 0 || distinctBytes < 0 || distinctBytes > objectBytes) {
      throw new IllegalArgumentException("objectBytes: " + objectBytes + ", distinctBytes: " + distinctBytes
          + " (expected: 0 <= distinctBytes <= objectBytes)");
    }
  }

  /** Returns the time-to-first-byte summary of every successful request, from its intended start. */
  public Percentiles firstByte() {
    return merged(KindResult::firstByteHistogram);
  }

  /** Returns the time-to-complete summary of every successful request, from its intended start. */
  public Percentiles complete() {
    return merged(KindResult::completeHistogram);
  }

  /**
   * Returns the origin's bytes for the path over the object's length: how many times the uplink
   * carried the object. Empty without an origin or for an empty object.
   */
  public OptionalDouble objectCopies() {
    return ratio(objectBytes);
  }

  /**
   * Returns the origin's bytes for the path over the distinct bytes requested: 1 when the uplink
   * carried each requested byte once and nothing more. Empty without an origin or when nothing was
   * requested.
   */
  public OptionalDouble bytesPerDistinctByte() {
    return ratio(distinctBytes);
  }

  private OptionalDouble ratio(long denominator) {
    return pathUplink == null || denominator == 0
        ? OptionalDouble.empty() : OptionalDouble.of((double) pathUplink.bytes() / denominator);
  }

  private Percentiles merged(Function<KindResult, Histogram> histogram) {
    Histogram all = RunRecorder.histogram();
    round.kinds().values().forEach(kind -> all.add(histogram.apply(kind)));
    return Percentiles.of(all);
  }
}
