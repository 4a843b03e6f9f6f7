package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An unpooled allocator that remembers every buffer it made, so a test can assert that each one was
 * released down to zero. Unpooled buffers are never recycled, so a refCnt of 0 stays 0 and can be
 * asserted at any time (pooled ones may be handed out again). The base class still wraps each
 * buffer for the leak detector.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {

  private final List<ByteBuf> allocated = new ArrayList<>();

  TrackingAllocator() {
    super(true);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    ByteBuf buffer = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
    allocated.add(buffer);
    return buffer;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    ByteBuf buffer = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    allocated.add(buffer);
    return buffer;
  }

  /** Every buffer allocated so far, in allocation order. */
  List<ByteBuf> allocated() {
    return List.copyOf(allocated);
  }

  /** How many buffers allocated so far are still referenced. */
  long live() {
    return allocated.stream().filter(b -> b.refCnt() > 0).count();
  }

  /** Fails unless every buffer allocated so far has been released. */
  void assertAllReleased() {
    assertThat(allocated).as("buffers allocated through this allocator")
        .allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }
}
