package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.demo.Fault;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomFaultInjectorTest {

  private static final HttpRequest REQUEST = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/blobs/1MiB/x");
  private static final Duration STALL = Duration.ofSeconds(5);

  @Test
  void decide_failRateOne_always503() {
    assertThat(decisions(new RandomFaultInjector(1, 1, 0, 0, STALL), 100)).containsOnly(Fault.status(503));
  }

  @Test
  void decide_resetRateOne_alwaysResetMidBody() {
    List<Fault> faults = decisions(new RandomFaultInjector(1, 0, 1, 0, STALL), 100);

    assertThat(faults).allSatisfy(fault -> {
      assertThat(fault.kind()).isEqualTo(Fault.Kind.RESET);
      assertThat(fault.bodyBytesBeforeCut(1000)).isBetween(1L, 999L);
    });
  }

  @Test
  void decide_stallRateOne_alwaysStallMidBodyForTheStall() {
    List<Fault> faults = decisions(new RandomFaultInjector(1, 0, 0, 1, STALL), 100);

    assertThat(faults).allSatisfy(fault -> {
      assertThat(fault.kind()).isEqualTo(Fault.Kind.STALL);
      assertThat(fault.stall()).isEqualTo(STALL);
      assertThat(fault.bodyBytesBeforeCut(1000)).isBetween(1L, 999L);
    });
  }

  @Test
  void decide_ratesZero_neverAFault() {
    assertThat(decisions(new RandomFaultInjector(1, 0, 0, 0, STALL), 1000)).containsOnly(Fault.none());
  }

  @Test
  void decide_sameSeed_sameSequence() {
    assertThat(decisions(new RandomFaultInjector(42, 0.2, 0.2, 0.2, STALL), 500))
        .isEqualTo(decisions(new RandomFaultInjector(42, 0.2, 0.2, 0.2, STALL), 500));
  }

  @Test
  void decide_differentSeeds_differentSequences() {
    assertThat(decisions(new RandomFaultInjector(42, 0.2, 0.2, 0.2, STALL), 500))
        .isNotEqualTo(decisions(new RandomFaultInjector(43, 0.2, 0.2, 0.2, STALL), 500));
  }

  @Test
  void decide_manyRequests_sharesMatchTheRates() {
    Map<Fault.Kind, Integer> counts = new EnumMap<>(Fault.Kind.class);
    decisions(new RandomFaultInjector(1, 0.1, 0.2, 0.3, STALL), 10_000)
        .forEach(fault -> counts.merge(fault.kind(), 1, Integer::sum));

    // A fixed seed: the counts are the same on every run, so a tight bound cannot flake.
    assertThat(counts.get(Fault.Kind.STATUS)).isBetween(900, 1_100);
    assertThat(counts.get(Fault.Kind.RESET)).isBetween(1_800, 2_200);
    assertThat(counts.get(Fault.Kind.STALL)).isBetween(2_700, 3_300);
    assertThat(counts.get(Fault.Kind.NONE)).isBetween(3_600, 4_400);
  }

  @Test
  void constructor_ratesAboveOneInTotal_rejected() {
    assertThatThrownBy(() -> new RandomFaultInjector(1, 0.5, 0.5, 0.5, STALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("failRate + resetRate + stallRate: 1.5");
    assertThatThrownBy(() -> new RandomFaultInjector(1, 1.5, 0, 0, STALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failRate: 1.5 (expected: 0-1)");
  }

  @Test
  void constructor_decimalRatesAddingUpToOne_accepted() {
    // 0.1 + 0.2 + 0.7 is 1.0000000000000002 in binary: still a whole, not more.
    List<Fault> faults = decisions(new RandomFaultInjector(1, 0.1, 0.2, 0.7, STALL), 1_000);

    assertThat(faults).doesNotContain(Fault.none());
  }

  private static List<Fault> decisions(RandomFaultInjector injector, int count) {
    return IntStream.range(0, count).mapToObj(i -> injector.decide(REQUEST)).toList();
  }
}
