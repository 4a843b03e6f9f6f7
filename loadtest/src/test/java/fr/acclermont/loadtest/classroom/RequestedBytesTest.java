package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestedBytesTest {

  private static final long SIZE = 2000;

  @Test
  void distinct_overlappingNestedAdjacentAndDisjointRanges_countsEachByteOnce() {
    StudentPlan first = plan(range(0, 100), range(50, 100), range(10, 11));
    StudentPlan second = plan(range(150, 50), range(1000, 10), RequestSpec.range(RequestKind.RANGE, "/x",
        RangeSpec.suffix(100), SIZE, null));
    // 0..149, 150..199 (adjacent), 1000..1009, 1900..1999
    assertThat(RequestedBytes.distinct(List.of(first, second))).isEqualTo(150 + 50 + 10 + 100);
  }

  @Test
  void distinct_wholeGetAmongRanges_isTheWholeObject() {
    StudentPlan whole = plan(RequestSpec.whole(RequestKind.ASSET, "/x", SIZE, null));
    assertThat(RequestedBytes.distinct(List.of(plan(range(5, 10)), whole, whole))).isEqualTo(SIZE);
  }

  @Test
  void distinct_nothingOrAnEmptyObject_isZero() {
    assertThat(RequestedBytes.distinct(List.of())).isZero();
    assertThat(RequestedBytes.distinct(List.of(plan(RequestSpec.whole(RequestKind.ASSET, "/e", 0, null))))).isZero();
  }

  private static RequestSpec range(long first, long length) {
    return RequestSpec.range(RequestKind.RANGE, "/x", RangeSpec.of(first, length), SIZE, null);
  }

  private static StudentPlan plan(RequestSpec... requests) {
    return new StudentPlan(ObjectScenario.ACTIVITY,
        Arrays.stream(requests).map(spec -> new StudentPlan.Batch(List.of(spec), false)).toList(), -1);
  }
}
