package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

/**
 * One class of students in a round: which book it opened, what it did, when it started.
 *
 * @param number the class number, from 1
 * @param book the book id
 * @param activity what its students did: {@code book} (open the HTML5 book, then read the PDF),
 *     {@code pdf} (read the PDF only) or {@code video} (watch the video)
 * @param startNanos when the class started, from the round's start
 * @param students how many students it had
 */
public record GroupRecord(int number, String book, String activity, long startNanos, int students) {

  /** Validates the components. */
  public GroupRecord {
    requireNonNull(book, "book");
    requireNonNull(activity, "activity");
  }
}
