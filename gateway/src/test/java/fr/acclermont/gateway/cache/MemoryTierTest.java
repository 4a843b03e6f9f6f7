package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The memory tier with Caffeine's maintenance and listeners run on the calling thread
 * ({@code Runnable::run}), so evictions and releases have happened when a call returns (STYLE T6).
 * Every slice buffer comes from a {@link TrackingAllocator} and must be released once the tier is
 * closed.
 */
class MemoryTierTest {

  private static final CacheKey A = new CacheKey("cloud", "/a.bin");
  private static final CacheKey B = new CacheKey("cloud", "/b.bin");
  /** What the tier adds to each slice's bytes when weighing it. */
  private static final int ENTRY_OVERHEAD_BYTES = 128;
  private static final int SLICE_BYTES = 1024;

  private final TrackingAllocator alloc = new TrackingAllocator();
  private final AtomicInteger evictions = new AtomicInteger();
  private MemoryTier tier = new MemoryTier(1 << 20, 1 << 16, Runnable::run, evictions::incrementAndGet);

  @AfterEach
  void closeAndCheckReleased() {
    tier.close();
    alloc.assertAllReleased();
  }

  @Test
  void sliceOrCreate_absent_emptySliceOfThatLengthRetainedForTheCaller() {
    SliceKey key = new SliceKey(A, 1, 0);

    Slice slice = tier.sliceOrCreate(key, 10, alloc);

    assertThat(slice.key()).isEqualTo(key);
    assertThat(slice.length()).isEqualTo(10);
    assertThat(slice.presentBytes()).isZero();
    assertThat(slice.refCnt()).as("the tier's reference and the caller's").isEqualTo(2);
    assertThat(alloc.allocated()).hasSize(1);
    assertThat(alloc.allocated().get(0).isDirect()).isTrue();
    slice.release();
    assertThat(slice.refCnt()).isEqualTo(1);
  }

  @Test
  void sliceOrCreate_sameKeyTwice_sameSliceAndOneBuffer() {
    SliceKey key = new SliceKey(A, 1, 0);

    Slice first = tier.sliceOrCreate(key, 10, alloc);
    Slice second = tier.sliceOrCreate(key, 10, alloc);

    assertThat(second).isSameAs(first);
    assertThat(first.refCnt()).isEqualTo(3);
    assertThat(alloc.allocated()).hasSize(1);
    first.release();
    second.release();
    assertThat(first.refCnt()).isEqualTo(1);
  }

  @Test
  void sliceOrCreate_otherVersionOrIndex_otherSlices() {
    Slice s0 = tier.sliceOrCreate(new SliceKey(A, 1, 0), 10, alloc);
    Slice s1 = tier.sliceOrCreate(new SliceKey(A, 1, 1), 10, alloc);
    Slice v2 = tier.sliceOrCreate(new SliceKey(A, 2, 0), 10, alloc);
    Slice b = tier.sliceOrCreate(new SliceKey(B, 1, 0), 10, alloc);

    assertThat(List.of(s0, s1, v2, b)).doesNotHaveDuplicates();
    assertThat(alloc.allocated()).hasSize(4);
    List.of(s0, s1, v2, b).forEach(Slice::release);
  }

  @Test
  void slice_present_sameSliceRetained() {
    SliceKey key = new SliceKey(A, 1, 0);
    Slice created = tier.sliceOrCreate(key, 10, alloc);
    write(created, 0, "hello");
    created.release();

    Slice found = tier.slice(key);

    assertThat(found).isSameAs(created);
    assertThat(found.refCnt()).isEqualTo(2);
    assertThat(read(found, 0, 5)).isEqualTo("hello");
    found.release();
  }

  @Test
  void slice_absent_null() {
    tier.sliceOrCreate(new SliceKey(A, 1, 0), 10, alloc).release();

    assertThat(tier.slice(new SliceKey(A, 1, 1))).isNull();
    assertThat(tier.slice(new SliceKey(A, 2, 0))).isNull();
    assertThat(tier.slice(new SliceKey(B, 1, 0))).isNull();
    assertThat(alloc.allocated()).as("looking up allocates nothing").hasSize(1);
  }

  /**
   * An object of 25 bytes in slices of 10: slice 0 complete, slice 1 with bytes 0-5 and 8-9
   * (object bytes 10-15 and 18-19), slice 2 absent.
   */
  @ParameterizedTest(name = "[{0}, {1}) -> {2}")
  @CsvSource({
      "0, 10, true",
      "0, 16, true", // across the slice boundary, into the partly present slice
      "5, 16, true",
      "9, 11, true",
      "12, 15, true",
      "0, 17, false", // byte 16 is missing
      "15, 17, false",
      "16, 17, false",
      "17, 19, false",
      "18, 20, true", // the second run of slice 1, up to its end
      "18, 21, false", // into the absent slice
      "20, 25, false",
      "10, 10, true", // nothing asked
  })
  void allPresent_runsSpanningSlices_trueOnlyIfEveryByteIsThere(long from, long to, boolean expected) {
    StoredObject object = object(A, 1, 25, 10);
    tier.putObject(object);
    Slice s0 = tier.sliceOrCreate(object.slice(0), 10, alloc);
    Slice s1 = tier.sliceOrCreate(object.slice(1), 10, alloc);
    write(s0, 0, "0123456789");
    write(s1, 0, "abcdef");
    write(s1, 8, "ij");
    s0.release();
    s1.release();

    assertThat(tier.allPresent(object, from, to)).isEqualTo(expected);
  }

  @Test
  void allPresent_everySliceComplete_trueForTheWholeObject() {
    StoredObject object = object(A, 1, 25, 10);
    tier.putObject(object);
    for (int i = 0; i < object.sliceCount(); i++) {
      Slice slice = tier.sliceOrCreate(object.slice(i), object.sliceLength(i), alloc);
      write(slice, 0, "x".repeat(object.sliceLength(i)));
      slice.release();
    }

    assertThat(tier.allPresent(object, 0, 25)).isTrue();
    assertThat(tier.allPresent(object(A, 2, 25, 10), 0, 1)).as("another version").isFalse();
  }

  @Test
  void putObject_published_foundByKey() {
    StoredObject object = object(A, 1, 25, 10);

    tier.putObject(object);

    assertThat(tier.object(A)).isSameAs(object);
    assertThat(tier.object(B)).isNull();
  }

  @Test
  void putObject_newerVersion_dropsTheOldSlicesOnly() {
    StoredObject old = object(A, 1, 6, 4);
    tier.putObject(old);
    List<ByteBuf> oldBuffers = fill(old, "old!", "ol");
    StoredObject current = object(A, 2, 3, 4);
    Slice currentSlice = tier.sliceOrCreate(current.slice(0), 3, alloc);
    write(currentSlice, 0, "new");
    currentSlice.release();

    tier.putObject(current);

    assertThat(tier.object(A)).isSameAs(current);
    assertThat(oldBuffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    assertThat(tier.slice(old.slice(0))).isNull();
    assertThat(tier.slice(old.slice(1))).isNull();
    assertThat(readSlice(current.slice(0), 3)).isEqualTo("new");
    assertThat(tier.weightedBytes()).isEqualTo(3 + ENTRY_OVERHEAD_BYTES);
    assertThat(evictions).as("replacement is not an eviction").hasValue(0);
  }

  @Test
  void invalidateStoredObject_olderCopy_newerOneStays() {
    StoredObject old = object(A, 1, 4, 4);
    tier.putObject(old);
    StoredObject current = object(A, 2, 4, 4);
    tier.putObject(current);
    List<ByteBuf> currentBuffers = fill(current, "new!");

    tier.invalidate(old);

    assertThat(tier.object(A)).isSameAs(current);
    assertThat(currentBuffers).allSatisfy(buf -> assertThat(buf.refCnt()).isEqualTo(1));
    assertThat(readSlice(current.slice(0), 4)).isEqualTo("new!");
  }

  @Test
  void invalidateStoredObject_storedCopy_removedWithItsSlices() {
    StoredObject object = object(A, 1, 6, 4);
    tier.putObject(object);
    List<ByteBuf> buffers = fill(object, "abcd", "ef");

    tier.invalidate(object);

    assertThat(tier.object(A)).isNull();
    assertThat(buffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    assertThat(tier.slice(object.slice(0))).isNull();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(evictions).hasValue(0);
  }

  @Test
  void invalidateKey_objectAndItsSlices_removedAndBuffersReleased() {
    StoredObject object = object(A, 1, 6, 4);
    tier.putObject(object);
    List<ByteBuf> buffers = fill(object, "abcd", "ef");

    tier.invalidate(A);

    assertThat(tier.object(A)).isNull();
    assertThat(tier.slice(object.slice(0))).isNull();
    assertThat(tier.slice(object.slice(1))).isNull();
    assertThat(buffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    assertThat(tier.weightedBytes()).isZero();
    assertThat(evictions).as("explicit removal is not an eviction").hasValue(0);
  }

  @Test
  void invalidateKey_oneObject_otherObjectKept() {
    StoredObject a = object(A, 1, 6, 4);
    StoredObject b = object(B, 2, 6, 4);
    tier.putObject(a);
    tier.putObject(b);
    List<ByteBuf> aBuffers = fill(a, "aaaa", "aa");
    List<ByteBuf> bBuffers = fill(b, "bbbb", "bb");

    tier.invalidate(A);

    assertThat(aBuffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    assertThat(tier.object(B)).isSameAs(b);
    assertThat(bBuffers).allSatisfy(buf -> assertThat(buf.refCnt()).isEqualTo(1));
    assertThat(readSlice(b.slice(1), 2)).isEqualTo("bb");
    assertThat(evictions).hasValue(0);
  }

  @Test
  void invalidateKey_readerHoldsASlice_bufferLivesUntilTheReaderReleases() {
    StoredObject object = object(A, 1, 4, 4);
    tier.putObject(object);
    ByteBuf buffer = fill(object, "abcd").get(0);
    Slice held = tier.slice(object.slice(0));

    tier.invalidate(A);

    assertThat(tier.slice(object.slice(0))).isNull();
    assertThat(buffer.refCnt()).isEqualTo(1);
    assertThat(read(held, 0, 4)).isEqualTo("abcd");
    held.release();
    assertThat(buffer.refCnt()).isZero();
  }

  @Test
  void invalidateSlices_unpublishedVersion_removedAndReleased() {
    Slice s0 = tier.sliceOrCreate(new SliceKey(A, 7, 0), 4, alloc);
    Slice s1 = tier.sliceOrCreate(new SliceKey(A, 7, 1), 4, alloc);
    Slice other = tier.sliceOrCreate(new SliceKey(A, 8, 0), 4, alloc);
    List.of(s0, s1, other).forEach(Slice::release);

    tier.invalidateSlices(A, 7, 2);

    assertThat(s0.refCnt()).isZero();
    assertThat(s1.refCnt()).isZero();
    assertThat(other.refCnt()).isEqualTo(1);
    assertThat(tier.weightedBytes()).isEqualTo(4 + ENTRY_OVERHEAD_BYTES);
  }

  /**
   * A tier of 100 slices, so that Caffeine's admission window (1% of the weight) holds the newest
   * slice: each new slice is shared with the tier when it is handed out, and older ones are evicted
   * for room.
   */
  @Test
  void sliceOrCreate_beyondMaxBytes_evictsReleasesAndNotifies() {
    long maxBytes = 100L * (SLICE_BYTES + ENTRY_OVERHEAD_BYTES);
    tier = new MemoryTier(maxBytes, maxBytes, Runnable::run, evictions::incrementAndGet);
    List<Slice> created = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Slice slice = tier.sliceOrCreate(new SliceKey(A, 1, i), SLICE_BYTES, alloc);
      assertThat(slice.refCnt()).as("slice %d shared with the tier", i).isEqualTo(2);
      created.add(slice);
      slice.release();
    }
    tier.cleanUp();

    int present = 0;
    for (int i = 0; i < created.size(); i++) {
      Slice found = tier.slice(new SliceKey(A, 1, i));
      if (found != null) {
        present++;
        assertThat(found).isSameAs(created.get(i));
        found.release();
        assertThat(created.get(i).refCnt()).as("slice %d kept", i).isEqualTo(1);
      } else {
        assertThat(created.get(i).refCnt()).as("slice %d evicted", i).isZero();
      }
    }
    assertThat(tier.weightedBytes()).isLessThanOrEqualTo(maxBytes);
    assertThat(tier.weightedBytes()).isEqualTo(present * (long) (SLICE_BYTES + ENTRY_OVERHEAD_BYTES));
    assertThat(present).isBetween(1, 100);
    assertThat(alloc.allocated()).as("one buffer per slice").hasSize(300);
    assertThat(alloc.live()).isEqualTo(present);
    assertThat(evictions).hasValue(300 - present);
  }

  @Test
  void eviction_readersHoldTheSlices_buffersLiveUntilTheReadersRelease() {
    long maxBytes = 100L * (SLICE_BYTES + ENTRY_OVERHEAD_BYTES);
    tier = new MemoryTier(maxBytes, maxBytes, Runnable::run, evictions::incrementAndGet);
    List<Slice> held = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      held.add(tier.sliceOrCreate(new SliceKey(A, 1, i), SLICE_BYTES, alloc)); // a reader keeps each
    }
    tier.cleanUp();

    List<Slice> evicted = held.stream().filter(s -> s.refCnt() == 1).toList();
    assertThat(evicted).hasSize(evictions.get()).isNotEmpty();
    assertThat(evicted).allSatisfy(s -> assertThat(tier.slice(s.key())).isNull());
    assertThat(held).filteredOn(s -> s.refCnt() == 2).hasSize(300 - evictions.get());
    assertThat(alloc.live()).as("every reader still holds its slice").isEqualTo(300);

    held.forEach(Slice::release);

    assertThat(alloc.live()).as("only the slices the tier kept").isEqualTo(300 - evictions.get());
  }

  /** A slice heavier than the whole tier is evicted as soon as it is put: the caller gets one of its own. */
  @Test
  void sliceOrCreate_heavierThanTheTier_unsharedSliceAfterThreeRefusals() {
    tier = new MemoryTier(SLICE_BYTES, SLICE_BYTES, Runnable::run, evictions::incrementAndGet);
    SliceKey key = new SliceKey(A, 1, 0);

    Slice slice = tier.sliceOrCreate(key, SLICE_BYTES, alloc);

    assertThat(slice.refCnt()).as("the caller's reference only").isEqualTo(1);
    assertThat(slice.key()).isEqualTo(key);
    assertThat(slice.length()).isEqualTo(SLICE_BYTES);
    assertThat(tier.slice(key)).isNull();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(evictions).hasValue(3);
    assertThat(alloc.allocated()).hasSize(4);
    assertThat(alloc.live()).isEqualTo(1);
    write(slice, 0, "still usable");
    assertThat(read(slice, 0, 12)).isEqualTo("still usable");
    slice.release();
    assertThat(alloc.live()).isZero();
  }

  @Test
  void weightedBytes_slicesCreatedAndRemoved_lengthPlusOverhead() {
    assertThat(tier.weightedBytes()).isZero();
    tier.sliceOrCreate(new SliceKey(A, 1, 0), 100, alloc).release();
    tier.sliceOrCreate(new SliceKey(A, 1, 1), 30, alloc).release();

    assertThat(tier.weightedBytes()).isEqualTo(130 + 2 * ENTRY_OVERHEAD_BYTES);

    tier.invalidateSlices(A, 1, 2);
    assertThat(tier.weightedBytes()).isZero();
  }

  @Test
  void nextVersion_calledTwice_increases() {
    long first = tier.nextVersion();

    assertThat(tier.nextVersion()).isGreaterThan(first);
  }

  @Test
  void maxObjectBytes_asConfigured() {
    assertThat(tier.maxObjectBytes()).isEqualTo(1 << 16);
  }

  @Test
  void close_objectsAndLooseSlices_releasesEverything() {
    StoredObject a = object(A, 1, 9, 4);
    StoredObject b = object(B, 2, 1, 4);
    tier.putObject(a);
    tier.putObject(b);
    fill(a, "aaaa", "aaaa", "a");
    fill(b, "b");
    tier.sliceOrCreate(new SliceKey(A, 3, 0), 11, alloc).release(); // a version not published (yet)
    assertThat(alloc.live()).isEqualTo(5);

    tier.close();

    assertThat(alloc.live()).isZero();
    assertThat(tier.object(A)).isNull();
    assertThat(tier.object(B)).isNull();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(evictions).hasValue(0);
  }

  private static StoredObject object(CacheKey key, long version, long length, int sliceSize) {
    return new StoredObject(key, version, 200, new DefaultHttpHeaders(), length, sliceSize, 0, 0, 0, 0, 60, true);
  }

  /** Creates and completes the slices of {@code object}; returns their buffers, held by the tier only. */
  private List<ByteBuf> fill(StoredObject object, String... contents) {
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

  private static void write(Slice slice, int offset, String content) {
    ByteBuf data = Unpooled.copiedBuffer(content, java.nio.charset.StandardCharsets.US_ASCII);
    try {
      slice.write(offset, data, 0, data.readableBytes());
    } finally {
      data.release();
    }
  }

  private static String read(Slice slice, int offset, int n) {
    ByteBuf bytes = slice.read(offset, n);
    try {
      return bytes.toString(java.nio.charset.StandardCharsets.US_ASCII);
    } finally {
      bytes.release();
    }
  }

  private String readSlice(SliceKey key, int n) {
    Slice slice = tier.slice(key);
    assertThat(slice).as("slice %s", key).isNotNull();
    try {
      return read(slice, 0, n);
    } finally {
      slice.release();
    }
  }
}
