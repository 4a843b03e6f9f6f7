package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * What the {@link MemoryTier} tests share: a tier of 1 MiB (objects up to 64 KiB) with Caffeine's
 * maintenance and listeners run on the calling thread ({@code Runnable::run}), so evictions and
 * releases have happened when a call returns (STYLE T6), its evictions counted. Every slice buffer
 * comes from a {@link TrackingAllocator} and must be released once the tier is closed.
 */
abstract class MemoryTierFixture {

  static final CacheKey A = new CacheKey("cloud", "/a.bin");
  static final CacheKey B = new CacheKey("cloud", "/b.bin");
  /** What the tier adds to each slice's bytes when weighing it. */
  static final int ENTRY_OVERHEAD_BYTES = 128;
  static final int SLICE_BYTES = 1024;

  final TrackingAllocator alloc = new TrackingAllocator();
  final AtomicInteger evictions = new AtomicInteger();
  MemoryTier tier = new MemoryTier(1 << 20, 1 << 16, Runnable::run, evictions::incrementAndGet);

  @AfterEach
  void closeAndCheckReleased() {
    tier.close();
    alloc.assertAllReleased();
  }

  static StoredObject object(CacheKey key, long version, long length, int sliceSize) {
    return new StoredObject(key, version, 200, new DefaultHttpHeaders(), length, sliceSize, 0, 0, 0, 0, 60, true);
  }

  /** Creates and completes the slices of {@code object}; returns their buffers, held by the tier only. */
  List<ByteBuf> fill(StoredObject object, String... contents) {
    List<ByteBuf> buffers = new ArrayList<>();
    for (int i = 0; i < contents.length; i++) {
      int before = alloc.allocated().size();
      Slice slice = tier.sliceOrCreate(object.slice(i), object.sliceLength(i), alloc);
      write(slice, 0, contents[i]);
      assertThat(slice.isComplete()).isTrue();
      slice.release();
      buffers.add(alloc.allocated().get(before));
    }
    return buffers;
  }

  static void write(Slice slice, int offset, String content) {
    ByteBuf data = Unpooled.copiedBuffer(content, java.nio.charset.StandardCharsets.US_ASCII);
    try {
      slice.write(offset, data, 0, data.readableBytes());
    } finally {
      data.release();
    }
  }

  static String read(Slice slice, int offset, int n) {
    ByteBuf bytes = slice.read(offset, n);
    try {
      return bytes.toString(java.nio.charset.StandardCharsets.US_ASCII);
    } finally {
      bytes.release();
    }
  }

  String readSlice(SliceKey key, int n) {
    Slice slice = tier.slice(key);
    assertThat(slice).as("slice %s", key).isNotNull();
    try {
      return read(slice, 0, n);
    } finally {
      slice.release();
    }
  }
}
