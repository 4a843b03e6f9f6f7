package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

/**
 * A student scheduled in a round.
 *
 * @param id the student number, from 1
 * @param group the class number, from 1
 * @param offsetNanos when the student starts, from the round's start
 * @param plan what the student does
 */
record Participant(int id, int group, long offsetNanos, StudentPlan plan) {

  Participant {
    requireNonNull(plan, "plan");
    if (offsetNanos < 0) {
      throw new IllegalArgumentException("offsetNanos: " + offsetNanos + " (expected: >= 0)");
    }
  }
}
