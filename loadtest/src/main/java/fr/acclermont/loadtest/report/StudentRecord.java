package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

/**
 * One student's run. Times are nanoseconds from the round's start; -1 when the moment never came.
 *
 * @param id the student number, from 1
 * @param group the number of the student's class
 * @param activity the class's activity (see {@link GroupRecord#activity()})
 * @param opensBook whether the student's plan opens an HTML5 book (manifest, then assets)
 * @param startNanos when the student was meant to start (its first request's intended start)
 * @param firstByteNanos when the first response head of any of its requests arrived, or -1
 * @param manifestNanos when the manifest arrived, or -1
 * @param bookOpenNanos when the manifest and every asset had arrived intact, or -1
 * @param doneNanos when the student's last request ended
 * @param requests how many requests ended (successful or not)
 * @param failed how many of them failed
 * @param bytes body bytes received
 * @param connections how many connections the student opened (or tried to)
 */
public record StudentRecord(int id, int group, String activity, boolean opensBook, long startNanos,
    long firstByteNanos, long manifestNanos, long bookOpenNanos, long doneNanos, int requests, int failed,
    long bytes, int connections) {

  /** Validates the components. */
  public StudentRecord {
    requireNonNull(activity, "activity");
  }

  /** Returns whether the book opened. */
  public boolean bookOpened() {
    return bookOpenNanos >= 0;
  }
}
