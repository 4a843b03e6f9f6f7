package fr.acclermont.loadtest.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.demo.Fault;
import fr.acclermont.gateway.demo.FaultInjector;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Random faults for load tests. Each request for content draws, from one generator seeded with
 * the origin's seed, one of: a 503 ({@code failRate} of requests), a reset mid-body
 * ({@code resetRate}), a pause mid-body for {@code stall} ({@code stallRate}), or nothing. The
 * shares are disjoint, so each is exactly the share of requests that gets that fault; a cut
 * falls after a random share of the body, at least one byte and fewer than all
 * ({@link Fault#bodyBytesBeforeCut(long)}).
 *
 * <p>Deterministic: two injectors with the same seed and rates make the same sequence of
 * decisions, the n-th decision going to the n-th request to arrive (sequential requests
 * therefore meet the same faults run after run). Every decision draws the same two numbers
 * whatever its outcome, so no outcome shifts the ones after it.
 *
 * <p>Thread-safe: decisions are serialised on a private lock, held for two draws.
 */
final class RandomFaultInjector implements FaultInjector {

  /** The status of a failed request: what an overloaded origin or its load balancer answers. */
  static final int FAIL_STATUS = 503;

  private final double failRate;
  private final double resetRate;
  private final double stallRate;
  private final Duration stall;
  private final Object lock = new Object();
  private final SplittableRandom random;

  /**
   * @param seed the generator's seed
   * @param failRate the share of requests answered {@value #FAIL_STATUS}, 0 to 1
   * @param resetRate the share of requests reset mid-body, 0 to 1
   * @param stallRate the share of requests paused mid-body, 0 to 1
   * @param stall how long a paused body waits before the rest follows
   * @throws IllegalArgumentException if a rate is outside 0–1 or the rates add up to more than 1
   */
  RandomFaultInjector(long seed, double failRate, double resetRate, double stallRate, Duration stall) {
    this.failRate = rate("failRate", failRate);
    this.resetRate = rate("resetRate", resetRate);
    this.stallRate = rate("stallRate", stallRate);
    if (!OriginSettings.sharesFit(failRate, resetRate, stallRate)) {
      throw new IllegalArgumentException("failRate + resetRate + stallRate: "
          + OriginSettings.total(failRate, resetRate, stallRate) + " (expected: <= 1)");
    }
    this.stall = requireNonNull(stall, "stall");
    this.random = new SplittableRandom(seed);
  }

  @Override
  public Fault decide(HttpRequest request) {
    double which;
    double where;
    synchronized (lock) {
      which = random.nextDouble();
      where = random.nextDouble();
    }
    if (which < failRate) {
      return Fault.status(FAIL_STATUS);
    }
    if (which < failRate + resetRate) {
      return Fault.resetMidBody(where);
    }
    if (which < failRate + resetRate + stallRate) {
      return Fault.stallMidBody(where, stall);
    }
    return Fault.none();
  }

  @Override
  public String toString() {
    return "RandomFaultInjector{fail=" + failRate + ", reset=" + resetRate + ", stall=" + stallRate
        + " for " + stall + "}";
  }

  private static double rate(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: 0-1)");
    }
    return value;
  }
}
