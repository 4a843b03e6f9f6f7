package fr.acclermont.gateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's paranoid leak detector reported a {@code ByteBuf} that was never
 * released (STYLE R5). Registered for every test through {@code META-INF/services}.
 *
 * <p>Leaks are found when the garbage collector has collected a leaked buffer and a later
 * allocation polls the detector's queue, so this forces collections until a sentinel object is
 * seen collected (reference processing has run), then allocates.
 */
public final class NettyLeakCheckExtension implements AfterAllCallback {

  private static final int ROUNDS = 3;

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int i = 0; i < ROUNDS; i++) {
      awaitCollection();
      for (int j = 0; j < 64; j++) {
        ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(16);
        probe.release();
        ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(16);
        heap.release();
      }
    }
    List<String> leaks = LeakRecordingAppender.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported during or before "
          + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
    }
  }

  /** Collects until a fresh sentinel's weak reference is enqueued, bounded to a few seconds. */
  private static void awaitCollection() throws InterruptedException {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    int attempts = 0;
    do {
      System.gc();
    } while (queue.remove(100) == null && ++attempts < 50);
    sentinel.clear();
  }
}
