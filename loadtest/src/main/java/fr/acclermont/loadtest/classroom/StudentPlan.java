package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.loadtest.client.RequestSpec;
import java.util.List;

/**
 * Every request one student will send, planned before the clock starts, in batches: all the
 * requests of a batch are queued at once when the previous batch has ended (the manifest, then
 * every asset it lists, then each PDF range after the last). Immutable; shared by the students of
 * a class.
 *
 * @param activity what the student does: {@code book}, {@code pdf} or {@code video}
 * @param batches the batches, in order
 * @param bookOpenBatch the batch whose end, with every earlier batch intact, is "book open", or
 *     -1 if the plan opens no book
 */
record StudentPlan(String activity, List<Batch> batches, int bookOpenBatch) {

  StudentPlan {
    requireNonNull(activity, "activity");
    batches = List.copyOf(batches);
    if (bookOpenBatch < -1 || bookOpenBatch >= batches.size()) {
      throw new IllegalArgumentException("bookOpenBatch: " + bookOpenBatch + " (expected: -1 or a batch index)");
    }
  }

  /** Returns how many requests the plan sends if nothing fails. */
  int requestCount() {
    return batches.stream().mapToInt(batch -> batch.requests().size()).sum();
  }

  /**
   * Requests queued together.
   *
   * @param requests the requests
   * @param required whether a failure stops the student (no manifest: no assets to ask for)
   */
  record Batch(List<RequestSpec> requests, boolean required) {

    Batch {
      requests = List.copyOf(requests);
    }
  }
}
