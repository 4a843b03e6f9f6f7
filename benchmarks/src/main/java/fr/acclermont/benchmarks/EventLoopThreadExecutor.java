package fr.acclermont.benchmarks;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH's benchmark threads as Netty's {@code FastThreadLocalThread}s, the kind of thread an
 * event loop is, so that Netty's per-thread state (the {@code Recycler} pools of pipeline objects,
 * the allocator's thread-local caches) behaves as it does on the gateway's event loops rather
 * than as on a foreign thread. The request-path benchmarks select it in their {@code @Fork}:
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=fr.acclermont.benchmarks.EventLoopThreadExecutor}.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {

  /** The constructor JMH's {@code CUSTOM} executor type calls. */
  public EventLoopThreadExecutor(int maxThreads, String prefix) {
    super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
        new DefaultThreadFactory(prefix, true));
  }
}
