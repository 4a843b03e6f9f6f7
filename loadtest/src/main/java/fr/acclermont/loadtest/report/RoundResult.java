package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

import fr.acclermont.loadtest.client.ErrorKind;
import fr.acclermont.loadtest.client.RequestKind;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * The frozen outcome of one round (a classroom round, or a whole school day): per-kind latencies,
 * errors by kind, bytes, per-student timelines, and what crossed the uplink when it was measured.
 *
 * <p>Immutable.
 */
public final class RoundResult {

  private static final double NANOS_PER_SECOND = 1e9;
  private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

  private final int round;
  private final String label;
  private final Instant startedAt;
  private final long durationNanos;
  private final Map<RequestKind, KindResult> kinds;
  private final Map<ErrorKind, Long> errors;
  private final Map<Integer, Long> statuses;
  private final Histogram bookOpen;
  private final List<StudentRecord> students;
  private final List<GroupRecord> groups;
  private final @Nullable UplinkFigures uplink;

  RoundResult(int round, String label, Instant startedAt, long durationNanos, Map<RequestKind, KindResult> kinds,
      Map<ErrorKind, Long> errors, Map<Integer, Long> statuses, Histogram bookOpen, List<StudentRecord> students,
      List<GroupRecord> groups, @Nullable UplinkFigures uplink) {
    this.round = round;
    this.label = requireNonNull(label, "label");
    this.startedAt = requireNonNull(startedAt, "startedAt");
    this.durationNanos = durationNanos;
    this.kinds = Collections.unmodifiableMap(new EnumMap<>(kinds));
    this.errors = Collections.unmodifiableMap(new EnumMap<>(errors));
    this.statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
    this.bookOpen = bookOpen.copy();
    this.students = List.copyOf(students);
    this.groups = List.copyOf(groups);
    this.uplink = uplink;
  }

  /** Returns the round number, from 1. */
  public int round() {
    return round;
  }

  /** Returns a title such as {@code round 1 of 2}. */
  public String label() {
    return label;
  }

  /** Returns the wall-clock time the round's clock started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** Returns the time from the round's start to its last request's end. */
  public long durationNanos() {
    return durationNanos;
  }

  /** Returns the results per kind, every kind present (possibly with no requests), in enum order. */
  public Map<RequestKind, KindResult> kinds() {
    return kinds;
  }

  /** Returns the number of failed requests per error kind, every kind present. */
  public Map<ErrorKind, Long> errors() {
    return errors;
  }

  /** Returns the number of responses per status, in status order, failed ones included (none: no head arrived). */
  public Map<Integer, Long> statuses() {
    return statuses;
  }

  /** Returns the time-to-book-open summary of the students whose book opened. */
  public Percentiles bookOpen() {
    return Percentiles.of(bookOpen);
  }

  /** Returns the students, by id. */
  public List<StudentRecord> students() {
    return students;
  }

  /** Returns the classes, by number. */
  public List<GroupRecord> groups() {
    return groups;
  }

  /** Returns what crossed the uplink, or {@code null} when no origin was given. */
  public @Nullable UplinkFigures uplink() {
    return uplink;
  }

  /** Returns how many requests ended, successful or not. */
  public long requests() {
    return kinds.values().stream().mapToLong(KindResult::requests).sum();
  }

  /** Returns how many requests failed. */
  public long failed() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Returns the body bytes delivered to the students, failed requests included. */
  public long deliveredBytes() {
    return kinds.values().stream().mapToLong(KindResult::bytes).sum();
  }

  /** Returns how many students were to open a book. */
  public long studentsOpeningBooks() {
    return students.stream().filter(StudentRecord::opensBook).count();
  }

  /** Returns how many students' books opened. */
  public long booksOpened() {
    return students.stream().filter(StudentRecord::bookOpened).count();
  }

  /** Returns the requests ended per second of the round, 0 for an empty round. */
  public double requestsPerSecond() {
    return durationNanos == 0 ? 0 : requests() * NANOS_PER_SECOND / durationNanos;
  }

  /** Returns the MiB delivered per second of the round, 0 for an empty round. */
  public double mibPerSecond() {
    return durationNanos == 0 ? 0 : deliveredBytes() / BYTES_PER_MIB * NANOS_PER_SECOND / durationNanos;
  }
}
