package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

import fr.acclermont.loadtest.client.ErrorKind;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Collects the results of one round as they come: per kind of request, the time to first byte
 * and the time to complete of each successful request, measured from its intended start, in
 * HdrHistograms (microseconds, 3 significant digits, up to an hour); errors by kind; responses by
 * status, failed ones included (a 403 is a {@code status} error: this says which status); bytes;
 * and each student's timeline.
 *
 * <p>Thread-safe: every event loop records into it. Recording is a few array increments under a
 * lock that is never held across I/O, which costs far less than a request.
 */
public final class RunRecorder {

  /** The largest latency recorded as is; anything slower is recorded as this (an hour). */
  static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
  private static final int SIGNIFICANT_DIGITS = 3;

  private final long startNanos;
  private final Instant startedAt;
  private final Map<RequestKind, Counters> kinds = new EnumMap<>(RequestKind.class);
  private final Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private final Histogram bookOpen = histogram();
  private final List<StudentRecord> students = new ArrayList<>();
  private long lastEndNanos;

  /**
   * Creates a recorder for a round whose clock starts at {@code startNanos} ({@link System#nanoTime()}),
   * which is {@code startedAt} on the wall clock.
   */
  public RunRecorder(long startNanos, Instant startedAt) {
    this.startNanos = startNanos;
    this.startedAt = requireNonNull(startedAt, "startedAt");
    this.lastEndNanos = startNanos;
    for (RequestKind kind : RequestKind.values()) {
      kinds.put(kind, new Counters());
    }
    for (ErrorKind kind : ErrorKind.values()) {
      errors.put(kind, 0L);
    }
  }

  /** Returns the {@link System#nanoTime()} at which the round's clock starts. */
  public long startNanos() {
    return startNanos;
  }

  /** Records one request's result. */
  public synchronized void record(RequestResult result) {
    Counters counters = kinds.get(result.spec().kind());
    counters.requests++;
    counters.bytes += result.bodyBytes();
    lastEndNanos = Math.max(lastEndNanos, result.endNanos());
    if (result.status() != 0) {
      statuses.merge(result.status(), 1L, Long::sum);
    }
    ErrorKind error = result.error();
    if (error != null) {
      counters.failed++;
      errors.merge(error, 1L, Long::sum);
      return;
    }
    counters.firstByte.recordValue(micros(result.timeToFirstByteNanos()));
    counters.complete.recordValue(micros(result.timeToCompleteNanos()));
  }

  /** Records a student's timeline once it is done. */
  public synchronized void student(StudentRecord student) {
    students.add(student);
    if (student.bookOpened()) {
      bookOpen.recordValue(micros(student.bookOpenNanos() - student.startNanos()));
    }
  }

  /**
   * Freezes what was recorded into a round result. The round lasts from the clock's start to the
   * last request's end.
   */
  public synchronized RoundResult finish(int round, String label, List<GroupRecord> groups,
      @Nullable UplinkFigures uplink) {
    Map<RequestKind, KindResult> results = new EnumMap<>(RequestKind.class);
    kinds.forEach((kind, c) -> results.put(kind,
        new KindResult(kind, c.requests, c.failed, c.bytes, c.firstByte, c.complete)));
    List<StudentRecord> sorted = new ArrayList<>(students);
    sorted.sort(Comparator.comparingInt(StudentRecord::id));
    return new RoundResult(round, label, startedAt, Math.max(0, lastEndNanos - startNanos), results, errors,
        statuses, bookOpen, sorted, groups, uplink);
  }

  static Histogram histogram() {
    return new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  }

  private static long micros(long nanos) {
    return Math.max(0, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }

  private static final class Counters {
    final Histogram firstByte = histogram();
    final Histogram complete = histogram();
    long requests;
    long failed;
    long bytes;
  }
}
