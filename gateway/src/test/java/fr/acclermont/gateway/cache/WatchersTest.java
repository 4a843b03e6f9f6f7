package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications hop to each watcher's own loop. Tests that count runs use an
 * {@link EmbeddedChannel}'s loop, which runs queued tasks only when asked, so "queued" and "ran"
 * are observed exactly; tests about the thread use a real {@link DefaultEventExecutor} and a
 * bounded latch.
 */
class WatchersTest {

  private final Watchers watchers = new Watchers();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final List<EventExecutor> executors = new ArrayList<>();

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    executors.forEach(e -> e.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly());
  }

  @Test
  void signal_realLoop_onChangeRunsOnTheWatchersLoop() throws InterruptedException {
    DefaultEventExecutor loop = executor();
    CountDownLatch ran = new CountDownLatch(1);
    boolean[] inLoop = new boolean[1];
    watchers.add(new Watcher(loop) {
      @Override
      public void onChange() {
        super.onChange();
        inLoop[0] = loop.inEventLoop();
        ran.countDown();
      }
    });

    watchers.signal();

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(inLoop[0]).isTrue();
  }

  @Test
  void signal_notRunYet_queuedNotCalledInline() {
    Watcher watcher = new Watcher(channel.eventLoop());
    watchers.add(watcher);

    watchers.signal();

    assertThat(watcher.told).hasValue(0);
    channel.runPendingTasks();
    assertThat(watcher.told).hasValue(1);
  }

  @Test
  void signal_severalBeforeTheRun_oneOnChange() {
    Watcher watcher = new Watcher(channel.eventLoop());
    watchers.add(watcher);

    watchers.signal();
    watchers.signal();
    watchers.signal();
    channel.runPendingTasks();

    assertThat(watcher.told).hasValue(1);
    channel.runPendingTasks();
    assertThat(watcher.told).as("nothing left queued").hasValue(1);
  }

  @Test
  void signal_afterTheRun_anotherOnChange() {
    Watcher watcher = new Watcher(channel.eventLoop());
    watchers.add(watcher);
    watchers.signal();
    channel.runPendingTasks();

    watchers.signal();
    channel.runPendingTasks();

    assertThat(watcher.told).hasValue(2);
  }

  /** A change arriving while the watcher looks must not be lost: the queued flag is cleared first. */
  @Test
  void signal_duringOnChange_runsAgain() {
    Watcher watcher = new Watcher(channel.eventLoop()) {
      @Override
      public void onChange() {
        super.onChange();
        if (told.get() == 1) {
          watchers.signal();
        }
      }
    };
    watchers.add(watcher);

    watchers.signal();
    channel.runPendingTasks();

    assertThat(watcher.told).hasValue(2);
  }

  /** Several bursts on a busy real loop: each burst costs at most one run. */
  @Test
  void signal_burstWhileTheLoopIsBusy_oneOnChange() throws InterruptedException {
    DefaultEventExecutor loop = executor();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    loop.execute(() -> {
      busy.countDown();
      awaitQuietly(release);
    });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    Watcher watcher = new Watcher(loop);
    watchers.add(watcher);

    for (int i = 0; i < 100; i++) {
      watchers.signal();
    }
    release.countDown();
    CountDownLatch drained = new CountDownLatch(1);
    loop.execute(drained::countDown); // queued after the notification, so it runs after it

    assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(watcher.told).hasValue(1);
  }

  @Test
  void signal_twoWatchers_eachToldOnItsOwnLoop() {
    EmbeddedChannel other = new EmbeddedChannel();
    Watcher first = new Watcher(channel.eventLoop());
    Watcher second = new Watcher(other.eventLoop());
    watchers.add(first);
    watchers.add(second);

    watchers.signal();
    channel.runPendingTasks();

    assertThat(first.told).hasValue(1);
    assertThat(second.told).hasValue(0);
    other.runPendingTasks();
    assertThat(second.told).hasValue(1);
    other.finishAndReleaseAll();
  }

  @Test
  void cancel_beforeTheQueuedRun_noOnChange() {
    Watcher watcher = new Watcher(channel.eventLoop());
    Watchers.Registration registration = watchers.add(watcher);
    watchers.signal();

    registration.cancel();
    channel.runPendingTasks();

    assertThat(watcher.told).hasValue(0);
  }

  @Test
  void cancel_thenSignal_noOnChangeAndNobodyWatching() {
    Watcher cancelled = new Watcher(channel.eventLoop());
    Watcher kept = new Watcher(channel.eventLoop());
    Watchers.Registration registration = watchers.add(cancelled);
    watchers.add(kept);

    registration.cancel();
    registration.cancel(); // idempotent
    watchers.signal();
    channel.runPendingTasks();

    assertThat(cancelled.told).hasValue(0);
    assertThat(kept.told).hasValue(1);
  }

  @Test
  void isEmpty_addAndCancel_followsTheRegistrations() {
    assertThat(watchers.isEmpty()).isTrue();
    Watchers.Registration registration = watchers.add(new Watcher(channel.eventLoop()));
    assertThat(watchers.isEmpty()).isFalse();

    registration.cancel();

    assertThat(watchers.isEmpty()).isTrue();
  }

  @Test
  void signal_noWatcher_nothingHappens() {
    watchers.signal();

    assertThat(channel.hasPendingTasks()).isFalse();
  }

  @Test
  void signal_watchersLoopShutDown_cancelledWithoutThrowing() {
    DefaultEventExecutor loop = executor();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    Watcher gone = new Watcher(loop);
    Watcher alive = new Watcher(channel.eventLoop());
    watchers.add(gone);
    watchers.add(alive);

    watchers.signal();
    channel.runPendingTasks();

    assertThat(alive.told).as("the others are still told").hasValue(1);
    assertThat(gone.told).hasValue(0);
    assertThat(gone.executorCalls).hasValue(1);
    watchers.signal();
    channel.runPendingTasks();
    assertThat(gone.executorCalls).as("a cancelled watcher is not tried again").hasValue(1);
    assertThat(alive.told).hasValue(2);
  }

  @Test
  void signal_onlyWatchersLoopShutDown_nobodyWatchingAfterwards() {
    DefaultEventExecutor loop = executor();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    watchers.add(new Watcher(loop));

    watchers.signal();

    assertThat(watchers.isEmpty()).isTrue();
  }

  private DefaultEventExecutor executor() {
    DefaultEventExecutor executor = new DefaultEventExecutor();
    executors.add(executor);
    return executor;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts its notifications and how often its executor was asked for. */
  private static class Watcher implements Watchers.Watcher {
    final AtomicInteger told = new AtomicInteger();
    final AtomicInteger executorCalls = new AtomicInteger();
    private final EventExecutor executor;

    Watcher(EventExecutor executor) {
      this.executor = executor;
    }

    @Override
    public EventExecutor executor() {
      executorCalls.incrementAndGet();
      return executor;
    }

    @Override
    public void onChange() {
      told.incrementAndGet();
    }
  }
}
