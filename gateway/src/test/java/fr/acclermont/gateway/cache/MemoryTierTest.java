package fr.acclermont.gateway.cache;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.WrappedByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The memory tier with Caffeine's maintenance and listeners run on the calling thread
 * ({@code Runnable::run}), so evictions and releases have happened when a call returns (STYLE T6).
 */
class MemoryTierTest {

  private static final CacheKey A = new CacheKey("cloud", "/a.bin");
  private static final CacheKey B = new CacheKey("cloud", "/b.bin");

  private final TrackingAllocator alloc = new TrackingAllocator();
  private final AtomicInteger evictions = new AtomicInteger();
  private MemoryTier tier = new MemoryTier(1 << 20, 1 << 16, Runnable::run, evictions::incrementAndGet);

  @AfterEach
  void closeAndCheckReleased() {
    tier.close();
    alloc.assertAllReleased();
  }

  @Test
  void acquireSlice_present_returnsRetainedDuplicateWithOwnIndices() {
    ByteBuf stored = slice(alloc, "hello");
    tier.putSlice(new SliceKey(A, 1, 0), stored);

    ByteBuf first = tier.acquireSlice(new SliceKey(A, 1, 0));
    ByteBuf second = tier.acquireSlice(new SliceKey(A, 1, 0));
    try {
      assertThat(stored.refCnt()).isEqualTo(3);
      assertThat(first.toString(US_ASCII)).isEqualTo("hello");
      first.skipBytes(5); // a reader consuming its copy moves neither the stored buffer nor other readers
      assertThat(stored.readableBytes()).isEqualTo(5);
      assertThat(second.toString(US_ASCII)).isEqualTo("hello");
    } finally {
      first.release();
      second.release();
    }
    assertThat(stored.refCnt()).isEqualTo(1);

    tier.close();
    assertThat(stored.refCnt()).isZero();
  }

  @Test
  void acquireSlice_absent_null() {
    tier.putSlice(new SliceKey(A, 1, 0), slice(alloc, "x"));

    assertThat(tier.acquireSlice(new SliceKey(A, 1, 1))).isNull();
    assertThat(tier.acquireSlice(new SliceKey(A, 2, 0))).isNull();
    assertThat(tier.acquireSlice(new SliceKey(B, 1, 0))).isNull();
  }

  @Test
  void acquireSlice_afterInvalidate_nullAndBufferReleased() {
    ByteBuf stored = putObject(A, 1, "abcd", "ef").get(0);

    tier.invalidate(A);

    assertThat(tier.object(A)).isNull();
    assertThat(tier.acquireSlice(new SliceKey(A, 1, 0))).isNull();
    assertThat(tier.acquireSlice(new SliceKey(A, 1, 1))).isNull();
    assertThat(stored.refCnt()).isZero();
    assertThat(tier.weightedBytes()).isZero();
  }

  static Stream<Arguments> allocators() {
    return Stream.of(
        Arguments.of("unpooled", UnpooledByteBufAllocator.DEFAULT),
        Arguments.of("pooled", PooledByteBufAllocator.DEFAULT),
        Arguments.of("default", ByteBufAllocator.DEFAULT));
  }

  /**
   * The removal listener runs asynchronously in production, so a reader can look a slice up just
   * before its buffer is released. The race is replayed by releasing from inside the reader's
   * {@code retainedDuplicate()}; with a pooled allocator the released buffer is immediately handed
   * out again, as another thread's allocation would, to check the reader does not take a reference
   * to someone else's bytes.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("allocators")
  void acquireSlice_releasedDuringAcquire_nullNotException(String name, ByteBufAllocator allocator) {
    SliceKey key = new SliceKey(A, 1, 0);
    List<ByteBuf> reused = new ArrayList<>();
    ByteBuf inner = allocator.directBuffer(5, 5).writeBytes("hello".getBytes(US_ASCII));
    ByteBuf racing = new WrappedByteBuf(inner) {
      @Override
      public ByteBuf retainedDuplicate() {
        tier.invalidateSlices(A, 1, 1); // the removal listener releases the tier's reference now
        reused.add(allocator.directBuffer(5, 5).writeBytes("WRONG".getBytes(US_ASCII)));
        return super.retainedDuplicate();
      }
    };
    tier.putSlice(key, racing);

    ByteBuf acquired = tier.acquireSlice(key);
    try {
      assertThat(acquired).as(() -> "acquired " + acquired.toString(US_ASCII)).isNull();
      assertThat(tier.acquireSlice(key)).isNull();
    } finally {
      if (acquired != null) {
        acquired.release();
      }
      reused.forEach(ByteBuf::release);
    }
    assertThat(reused).allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }

  @Test
  void invalidate_oneObject_removesOnlyItsSlices() {
    List<ByteBuf> a = putObject(A, 1, "aaaa", "aa");
    List<ByteBuf> b = putObject(B, 2, "bbbb", "bb");

    tier.invalidate(A);

    assertThat(a).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    assertThat(tier.acquireSlice(new SliceKey(A, 1, 0))).isNull();
    assertThat(tier.object(B)).isNotNull();
    assertThat(b).allSatisfy(buf -> assertThat(buf.refCnt()).isEqualTo(1));
    assertThat(readSlice(new SliceKey(B, 2, 1))).isEqualTo("bb");
    assertThat(evictions).as("explicit removal is not an eviction").hasValue(0);
  }

  @Test
  void putObject_newerCopy_removesOlderCopysSlices() {
    List<ByteBuf> old = putObject(A, 1, "old!", "ol");
    List<ByteBuf> current = putObject(A, 2, "new");

    assertThat(tier.object(A).version()).isEqualTo(2);
    assertThat(old).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    assertThat(tier.acquireSlice(new SliceKey(A, 1, 0))).isNull();
    assertThat(current.get(0).refCnt()).isEqualTo(1);
    assertThat(readSlice(new SliceKey(A, 2, 0))).isEqualTo("new");
    assertThat(evictions).as("replacement is not an eviction").hasValue(0);
  }

  @Test
  void invalidateSlices_unpublishedCopy_removesAndReleases() {
    ByteBuf s0 = slice(alloc, "abcd");
    ByteBuf s1 = slice(alloc, "efgh");
    tier.putSlice(new SliceKey(A, 7, 0), s0);
    tier.putSlice(new SliceKey(A, 7, 1), s1);

    tier.invalidateSlices(A, 7, 2);

    assertThat(s0.refCnt()).isZero();
    assertThat(s1.refCnt()).isZero();
    assertThat(tier.weightedBytes()).isZero();
  }

  @Test
  void putSlice_beyondMaxBytes_evictsReleasesAndNotifies() {
    int sliceBytes = 1024;
    long maxBytes = 4L * (sliceBytes + 128);
    tier = new MemoryTier(maxBytes, maxBytes, Runnable::run, evictions::incrementAndGet);
    List<ByteBuf> buffers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      ByteBuf buf = alloc.directBuffer(sliceBytes, sliceBytes).writeZero(sliceBytes);
      buffers.add(buf);
      tier.putSlice(new SliceKey(A, 1, i), buf);
    }
    tier.cleanUp();

    int present = 0;
    for (int i = 0; i < buffers.size(); i++) {
      ByteBuf acquired = tier.acquireSlice(new SliceKey(A, 1, i));
      if (acquired != null) {
        present++;
        acquired.release();
        assertThat(buffers.get(i).refCnt()).as("slice %d kept", i).isEqualTo(1);
      } else {
        assertThat(buffers.get(i).refCnt()).as("slice %d evicted", i).isZero();
      }
    }
    assertThat(tier.weightedBytes()).isLessThanOrEqualTo(maxBytes);
    assertThat(present).isBetween(1, 4);
    assertThat(evictions).hasValue(buffers.size() - present);
    assertThat(alloc.live()).isEqualTo(present);
  }

  @Test
  void weightedBytes_slicesPutAndRemoved_followsCapacity() {
    assertThat(tier.weightedBytes()).isZero();
    tier.putSlice(new SliceKey(A, 1, 0), alloc.directBuffer(100, 100).writeZero(100));

    assertThat(tier.weightedBytes()).isGreaterThanOrEqualTo(100);

    tier.invalidateSlices(A, 1, 1);
    assertThat(tier.weightedBytes()).isZero();
  }

  @Test
  void nextVersion_calledTwice_increases() {
    long first = tier.nextVersion();
    assertThat(tier.nextVersion()).isGreaterThan(first);
  }

  @Test
  void close_objectsAndLooseSlices_releasesEverything() {
    putObject(A, 1, "aaaa", "aaaa", "a");
    putObject(B, 2, "b");
    tier.putSlice(new SliceKey(A, 3, 0), slice(alloc, "unpublished"));
    assertThat(alloc.live()).isEqualTo(5);

    tier.close();

    assertThat(alloc.live()).isZero();
    assertThat(tier.object(A)).isNull();
    assertThat(tier.object(B)).isNull();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(evictions).hasValue(0);
  }

  private static ByteBuf slice(ByteBufAllocator allocator, String content) {
    byte[] bytes = content.getBytes(US_ASCII);
    return allocator.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
  }

  /** Puts the slices of one copy, then its metadata, as a completed fill does. */
  private List<ByteBuf> putObject(CacheKey key, long version, String... slices) {
    List<ByteBuf> buffers = new ArrayList<>();
    int sliceSize = slices[0].length();
    long length = 0;
    for (int i = 0; i < slices.length; i++) {
      ByteBuf buf = slice(alloc, slices[i]);
      buffers.add(buf);
      tier.putSlice(new SliceKey(key, version, i), buf);
      length += slices[i].length();
    }
    tier.putObject(new StoredObject(key, version, 200, new DefaultHttpHeaders(), length, sliceSize, 0, 0, 0, 0, 60));
    return buffers;
  }

  private String readSlice(SliceKey key) {
    ByteBuf acquired = tier.acquireSlice(key);
    assertThat(acquired).as("slice %s", key).isNotNull();
    try {
      return acquired.toString(US_ASCII);
    } finally {
      acquired.release();
    }
  }
}
