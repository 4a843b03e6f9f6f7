package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.cache.Watchers;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FetchCoordinatorTest {

  private static final CacheKey A = new CacheKey("cloud", "/a.bin");
  private static final CacheKey B = new CacheKey("cloud", "/b.bin");

  private final FetchCoordinator coordinator = new FetchCoordinator();

  /** The ways a probe ends, and the state its waiters see. */
  enum Ending {
    PUBLISH(PendingObject.State.PUBLISHED, (c, p) -> c.publish(p, object(p.key()), 206)),
    ABANDON(PendingObject.State.ABANDONED, FetchCoordinator::abandon),
    FAIL(PendingObject.State.FAILED, (c, p) -> c.fail(p, FetchFailure.NO_ANSWER)),
    TIME_OUT(PendingObject.State.FAILED, (c, p) -> c.fail(p, FetchFailure.TIMEOUT));

    final PendingObject.State state;
    final BiConsumer<FetchCoordinator, PendingObject> end;

    Ending(PendingObject.State state, BiConsumer<FetchCoordinator, PendingObject> end) {
      this.state = state;
      this.end = end;
    }
  }

  @Test
  void joinOrLead_firstCaller_leadsAnAwaitingObject() {
    FetchCoordinator.Lease lease = coordinator.joinOrLead(A);

    assertThat(lease.leader()).isTrue();
    assertThat(lease.pending().key()).isEqualTo(A);
    assertThat(lease.pending().state()).isEqualTo(PendingObject.State.AWAITING);
    assertThat(lease.pending().object()).isNull();
    assertThat(coordinator.size()).isEqualTo(1);
  }

  @Test
  void joinOrLead_secondCaller_joinsTheSameObject() {
    FetchCoordinator.Lease first = coordinator.joinOrLead(A);

    FetchCoordinator.Lease second = coordinator.joinOrLead(A);
    FetchCoordinator.Lease third = coordinator.joinOrLead(A);

    assertThat(second.leader()).isFalse();
    assertThat(third.leader()).isFalse();
    assertThat(second.pending()).isSameAs(first.pending());
    assertThat(third.pending()).isSameAs(first.pending());
    assertThat(coordinator.size()).isEqualTo(1);
  }

  @Test
  void joinOrLead_otherKey_leadsItsOwn() {
    FetchCoordinator.Lease a = coordinator.joinOrLead(A);

    FetchCoordinator.Lease b = coordinator.joinOrLead(B);

    assertThat(b.leader()).isTrue();
    assertThat(b.pending()).isNotSameAs(a.pending());
    assertThat(coordinator.size()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void end_awaiting_terminalStateAndNoLongerPending(Ending ending) {
    PendingObject pending = coordinator.joinOrLead(A).pending();

    ending.end.accept(coordinator, pending);

    assertThat(pending.state()).isEqualTo(ending.state);
    assertThat(coordinator.size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void joinOrLead_afterTheProbeEnded_newCallerLeadsAgain(Ending ending) {
    PendingObject first = coordinator.joinOrLead(A).pending();
    ending.end.accept(coordinator, first);

    FetchCoordinator.Lease again = coordinator.joinOrLead(A);

    assertThat(again.leader()).isTrue();
    assertThat(again.pending()).isNotSameAs(first);
    assertThat(again.pending().state()).isEqualTo(PendingObject.State.AWAITING);
    assertThat(coordinator.joinOrLead(A).pending()).isSameAs(again.pending());
  }

  @Test
  void fail_timeout_failureTimeout() {
    PendingObject pending = coordinator.joinOrLead(A).pending();

    coordinator.fail(pending, FetchFailure.TIMEOUT);

    assertThat(pending.state()).isEqualTo(PendingObject.State.FAILED);
    assertThat(pending.failure()).isEqualTo(FetchFailure.TIMEOUT);
  }

  @Test
  void fail_noAnswer_failureNoAnswer() {
    PendingObject pending = coordinator.joinOrLead(A).pending();

    coordinator.fail(pending, FetchFailure.NO_ANSWER);

    assertThat(pending.state()).isEqualTo(PendingObject.State.FAILED);
    assertThat(pending.failure()).isEqualTo(FetchFailure.NO_ANSWER);
  }

  @Test
  void fail_originError_failureCarriesTheStatus() {
    PendingObject pending = coordinator.joinOrLead(A).pending();

    coordinator.fail(pending, 503, null);

    assertThat(pending.state()).isEqualTo(PendingObject.State.FAILED);
    assertThat(pending.failure()).isEqualTo(FetchFailure.originStatus(503));
    assertThat(pending.originStatus()).isEqualTo(503);
  }

  @Test
  void failure_statusOnlyWithAnOriginAnswer() {
    assertThat(FetchFailure.TIMEOUT.status()).isZero();
    assertThatThrownBy(() -> FetchFailure.originStatus(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FetchFailure(FetchFailure.Kind.NO_ANSWER, 502))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publish_awaiting_objectReadable() {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    StoredObject stored = object(A);

    coordinator.publish(pending, stored, 206);

    assertThat(pending.state()).isEqualTo(PendingObject.State.PUBLISHED);
    assertThat(pending.object()).isSameAs(stored);
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void end_awaiting_watchersToldOnceAndSeeTheEnd(Ending ending) {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    List<PendingObject.State> seen = new ArrayList<>();
    pending.watch(watcher(() -> seen.add(pending.state())));
    pending.watch(watcher(() -> seen.add(pending.state())));

    ending.end.accept(coordinator, pending);

    assertThat(seen).containsExactly(ending.state, ending.state);
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void end_alreadyEnded_stateKeptAndWatchersNotToldAgain(Ending second) {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    StoredObject stored = object(A);
    AtomicInteger told = new AtomicInteger();
    pending.watch(watcher(told::incrementAndGet));
    coordinator.publish(pending, stored, 206);

    second.end.accept(coordinator, pending);

    assertThat(pending.state()).isEqualTo(PendingObject.State.PUBLISHED);
    assertThat(told).hasValue(1);
  }

  @Test
  void publish_twice_firstObjectKept() {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    StoredObject first = object(A);
    coordinator.publish(pending, first, 206);

    coordinator.publish(pending, object(A), 206);

    assertThat(pending.state()).isEqualTo(PendingObject.State.PUBLISHED);
    assertThat(pending.object()).isSameAs(first);
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void end_staleObject_doesNotRemoveTheNewerProbe(Ending ending) {
    PendingObject old = coordinator.joinOrLead(A).pending();
    coordinator.fail(old, FetchFailure.NO_ANSWER);
    PendingObject current = coordinator.joinOrLead(A).pending();

    ending.end.accept(coordinator, old);

    assertThat(old.state()).isEqualTo(PendingObject.State.FAILED);
    assertThat(current.state()).isEqualTo(PendingObject.State.AWAITING);
    assertThat(coordinator.size()).isEqualTo(1);
    FetchCoordinator.Lease joined = coordinator.joinOrLead(A);
    assertThat(joined.leader()).isFalse();
    assertThat(joined.pending()).isSameAs(current);
  }

  @Test
  void fail_twice_firstOutcomeKept() {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    coordinator.fail(pending, FetchFailure.NO_ANSWER);

    coordinator.fail(pending, FetchFailure.TIMEOUT);

    assertThat(pending.state()).isEqualTo(PendingObject.State.FAILED);
    assertThat(pending.failure()).as("a broken probe stays broken (502), not timed out (504)")
        .isEqualTo(FetchFailure.NO_ANSWER);
  }

  @ParameterizedTest
  @EnumSource(value = Ending.class, names = {"ABANDON", "FAIL"})
  void publish_afterAnotherEnd_noObject(Ending first) {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    first.end.accept(coordinator, pending);

    coordinator.publish(pending, object(A), 206);

    assertThat(pending.state()).isEqualTo(first.state);
    assertThat(pending.object()).as("\"the published object, or null before\"").isNull();
  }

  @Test
  void watch_afterTheEnd_notTold() {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    coordinator.abandon(pending);
    AtomicInteger told = new AtomicInteger();

    pending.watch(watcher(told::incrementAndGet));

    assertThat(told).as("a late watcher checks the state itself").hasValue(0);
    assertThat(pending.state()).isEqualTo(PendingObject.State.ABANDONED);
  }

  @Test
  void joinOrLead_concurrentCallers_exactlyOneLeader() throws Exception {
    int callers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      for (int round = 0; round < 200; round++) {
        FetchCoordinator fresh = new FetchCoordinator();
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Future<FetchCoordinator.Lease>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          futures.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return fresh.joinOrLead(A);
          }));
        }
        List<FetchCoordinator.Lease> leases = new ArrayList<>();
        for (Future<FetchCoordinator.Lease> future : futures) {
          leases.add(future.get(10, TimeUnit.SECONDS));
        }

        assertThat(leases).as("round %d", round).filteredOn(FetchCoordinator.Lease::leader).hasSize(1);
        PendingObject pending = leases.get(0).pending();
        assertThat(leases).as("round %d", round).allSatisfy(l -> assertThat(l.pending()).isSameAs(pending));
        assertThat(fresh.size()).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static StoredObject object(CacheKey key) {
    return new StoredObject(key, 1, 200, new DefaultHttpHeaders(), 10, 4, 0, 0, 0, 0, 60, true);
  }

  /** A watcher told synchronously, on the thread that ends the probe. */
  private static Watchers.Watcher watcher(Runnable onChange) {
    return new Watchers.Watcher() {
      @Override
      public EventExecutor executor() {
        return ImmediateEventExecutor.INSTANCE;
      }

      @Override
      public void onChange() {
        onChange.run();
      }
    };
  }

  @Test
  void joinOrLead_withBounds_leadersRunReservedAtOnce_aJoinerCannotReserveIt() {
    FetchCoordinator.Lease leader = coordinator.joinOrLead(A, new long[] {0, 99});
    FetchCoordinator.Lease joiner = coordinator.joinOrLead(A, new long[] {50, 60});

    assertThat(leader.leader()).isTrue();
    assertThat(leader.reservation()).as("reserved in the step that created the object").isNotNull();
    assertThat(joiner.leader()).isFalse();
    assertThat(joiner.reservation()).isNull();
    assertThat(joiner.pending().reserve(50, 60)).as("inside the leader's run").isNull();
    assertThat(joiner.pending().reserve(100, 199)).as("beside it").isNotNull();
  }

  @Test
  void reserve_disjointRuns_bothReserved_overlappingRunRefused() {
    PendingObject pending = coordinator.joinOrLead(A).pending();

    assertThat(pending.reserve(0, 99)).isNotNull();
    assertThat(pending.reserve(100, 199)).isNotNull();
    assertThat(pending.reserve(150, 160)).as("inside the second run").isNull();
    assertThat(pending.reserve(99, 100)).as("across both").isNull();
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void reserve_afterTheHeadWaitEnded_refused(Ending ending) {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    ending.end.accept(coordinator, pending);

    assertThat(pending.reserve(0, 99)).as("the publishing probe claims only runs reserved before it").isNull();
  }

  @Test
  void take_returnsTheClaimsMadeForTheReservationOnce_andFreesItsRun() {
    PendingObject pending = coordinator.joinOrLead(A).pending();
    PendingObject.Reservation reservation = pending.reserve(10, 19);
    fr.acclermont.gateway.cache.Slice slice = new fr.acclermont.gateway.cache.Slice(
        new fr.acclermont.gateway.cache.SliceKey(A, 1, 0), io.netty.buffer.Unpooled.directBuffer(100, 100));
    try {
      ClaimedRuns.Segment segment = new ClaimedRuns.Segment(slice, slice.claimExactly(10, 20), 0, 10, 20);
      synchronized (pending) {
        assertThat(pending.reservations()).containsExactly(reservation);
        pending.claimed(reservation, List.of(segment));
      }

      assertThat(pending.take(reservation)).containsExactly(segment);
      assertThat(pending.take(reservation)).isEmpty();
      synchronized (pending) {
        assertThat(pending.reservations()).isEmpty();
      }
    } finally {
      slice.release();
    }
  }
}
