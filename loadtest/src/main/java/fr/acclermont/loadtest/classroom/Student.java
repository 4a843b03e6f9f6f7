package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.ConnectionPool;
import fr.acclermont.loadtest.client.ErrorKind;
import fr.acclermont.loadtest.client.RequestResult;
import fr.acclermont.loadtest.client.RequestSpec;
import fr.acclermont.loadtest.report.RunRecorder;
import fr.acclermont.loadtest.report.StudentRecord;

/**
 * One simulated student running its {@link StudentPlan} on its own connection pool: each batch is
 * queued whole when the previous one has ended, with that moment as every request's intended
 * start (the first batch's is the student's scheduled start, so a late timer counts too).
 *
 * <p>The student stops after a failed required batch, when the next batch would start after the
 * stop-issuing time, or when {@link #abandon()}ed; it then reports its timeline once.
 *
 * <p>Confined to its pool's event loop: {@link #start()} and {@link #abandon()} must run there.
 */
final class Student {

  private final int id;
  private final int group;
  private final StudentPlan plan;
  private final ConnectionPool pool;
  private final RunRecorder recorder;
  private final long intendedStartNanos;
  private final long stopIssuingNanos;
  private final Runnable onDone;
  private int batch = -1;
  private int pending;
  private boolean batchFailed;
  private boolean anyFailed;
  private boolean started;
  private boolean stopped;
  private boolean finished;
  /** The earliest response head of the student's requests ({@link System#nanoTime()}), or -1. */
  private long firstByteNanos = -1;
  private long manifestNanos = -1;
  private long bookOpenNanos = -1;
  private long lastEndNanos;
  private int requests;
  private int failed;
  private long bytes;

  /**
   * @param intendedStartNanos the {@link System#nanoTime()} the student is scheduled to start at
   * @param stopIssuingNanos no batch is queued after this {@link System#nanoTime()}
   * @param onDone run once, when the student has reported
   */
  Student(int id, int group, StudentPlan plan, ConnectionPool pool, RunRecorder recorder, long intendedStartNanos,
      long stopIssuingNanos, Runnable onDone) {
    this.id = id;
    this.group = group;
    this.plan = plan;
    this.pool = pool;
    this.recorder = recorder;
    this.intendedStartNanos = intendedStartNanos;
    this.stopIssuingNanos = stopIssuingNanos;
    this.onDone = onDone;
    this.lastEndNanos = intendedStartNanos;
  }

  /** Starts the plan; its first batch's intended start is the scheduled start, not now. */
  void start() {
    if (started || finished) {
      return;
    }
    started = true;
    next(intendedStartNanos);
  }

  /** Stops: what is queued or in flight ends as a timeout, and nothing more is sent. */
  void abandon() {
    stopped = true;
    pool.abort(ErrorKind.TIMEOUT, "still waiting when the round's time limit was reached");
    if (pending == 0) {
      finish();
    }
  }

  /** Returns the pool this student uses. */
  ConnectionPool pool() {
    return pool;
  }

  private void next(long intendedNanos) {
    // Bounded: one step per batch of a finite plan.
    while (true) {
      batch++;
      if (stopped || batch >= plan.batches().size() || intendedNanos > stopIssuingNanos) {
        finish();
        return;
      }
      StudentPlan.Batch current = plan.batches().get(batch);
      if (current.requests().isEmpty()) {
        batchEnded(intendedNanos);
        if (finished) {
          return;
        }
        continue;
      }
      pending = current.requests().size();
      batchFailed = false;
      int submitted = batch;
      for (RequestSpec spec : current.requests()) {
        pool.submit(spec, intendedNanos, result -> onResult(submitted, result));
      }
      return;
    }
  }

  private void onResult(int resultBatch, RequestResult result) {
    if (finished || resultBatch != batch) {
      return;
    }
    recorder.record(result);
    requests++;
    bytes += result.bodyBytes();
    lastEndNanos = Math.max(lastEndNanos, result.endNanos());
    if (result.firstByteNanos() != 0 && (firstByteNanos < 0 || result.firstByteNanos() < firstByteNanos)) {
      firstByteNanos = result.firstByteNanos();
    }
    if (!result.ok()) {
      failed++;
      batchFailed = true;
      anyFailed = true;
    }
    if (--pending > 0) {
      return;
    }
    long now = System.nanoTime();
    batchEnded(now);
    if (!finished) {
      next(now);
    }
  }

  /** Marks the end of the current batch; finishes the student if it cannot go on. */
  private void batchEnded(long endNanos) {
    if (batch == 0 && plan.bookOpenBatch() >= 0) {
      manifestNanos = endNanos;
    }
    if (batch == plan.bookOpenBatch() && !anyFailed) {
      bookOpenNanos = endNanos;
    }
    if (batchFailed && plan.batches().get(batch).required()) {
      finish();
    }
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    long origin = recorder.startNanos();
    recorder.student(new StudentRecord(id, group, plan.activity(), plan.bookOpenBatch() >= 0,
        intendedStartNanos - origin, relative(firstByteNanos, origin), relative(manifestNanos, origin),
        relative(bookOpenNanos, origin), lastEndNanos - origin, requests, failed, bytes,
        pool.connectionsOpened()));
    onDone.run();
  }

  private static long relative(long nanos, long origin) {
    return nanos < 0 ? -1 : nanos - origin;
  }
}
