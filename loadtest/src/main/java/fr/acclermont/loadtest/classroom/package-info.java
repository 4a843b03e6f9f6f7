/**
 * The load scenarios and their commands: {@code classroom} (N students open the same book at
 * 08:00, round after round), {@code school-day} (several classes open books of Zipf popularity,
 * read PDFs and watch a video, over a bounded time), and the two scenarios on one cold object of
 * the chunked-streaming issue, {@code cold-object} (N clients GET it at the same moment) and
 * {@code random-ranges} (N clients read random ranges of it), which reuse the same rounds with one
 * student per client ({@link fr.acclermont.loadtest.classroom.ObjectScenario}).
 *
 * <p>Before the clock starts, the catalog is read from the target's {@code /_origin/catalog} and
 * the manifests of the books to open are read, so every request of the run is planned ahead
 * ({@link fr.acclermont.loadtest.classroom.StudentPlan}). During a round each
 * {@link fr.acclermont.loadtest.classroom.Student} runs its plan on its own connection pool,
 * each batch queued at once when the previous one ends, which is when a browser would ask.
 */
package fr.acclermont.loadtest.classroom;
