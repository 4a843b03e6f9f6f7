package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Counts the distinct bytes a set of plans asks for: the exact length of the union of their byte ranges. */
final class RequestedBytes {

  private RequestedBytes() {}

  /**
   * Returns how many distinct bytes of their resources the plans' requests ask for, the plans
   * being all about one resource: a whole GET asks for every byte, a range for its own. Requests
   * of an unknown size count for nothing.
   */
  static long distinct(List<StudentPlan> plans) {
    List<Span> spans = new ArrayList<>();
    for (StudentPlan plan : plans) {
      for (StudentPlan.Batch batch : plan.batches()) {
        for (RequestSpec spec : batch.requests()) {
          if (spec.expectedBodyBytes() > 0) {
            spans.add(span(spec));
          }
        }
      }
    }
    spans.sort(Comparator.comparingLong(Span::first));
    long total = 0;
    long coveredTo = -1;
    for (Span span : spans) {
      if (span.last() > coveredTo) {
        total += span.last() - Math.max(span.first(), coveredTo + 1) + 1;
        coveredTo = span.last();
      }
    }
    return total;
  }

  private static Span span(RequestSpec spec) {
    long size = spec.resourceSize();
    RangeSpec range = spec.range();
    return range == null ? new Span(0, size - 1) : new Span(range.firstIn(size), range.lastIn(size));
  }

  /** Bytes {@code first..last} (inclusive) of the resource. */
  private record Span(long first, long last) {}
}
