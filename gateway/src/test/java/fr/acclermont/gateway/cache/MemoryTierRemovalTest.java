package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slices and objects leaving the memory tier: invalidated by key, by stored copy or by unpublished
 * version, and evicted when the tier is full, with their buffers released once no reader holds
 * them and only evictions counted as such.
 */
class MemoryTierRemovalTest extends MemoryTierFixture {

  @Test
  void invalidateStoredObject_olderCopy_newerOneStays() {
    StoredObject old = object(A, 1, 4, 4);
    tier.storeObject(old);
    StoredObject current = object(A, 2, 4, 4);
    tier.storeObject(current);
    List<ByteBuf> currentBuffers = fill(current, "new!");

    tier.invalidate(old);

    assertThat(tier.object(A)).isSameAs(current);
    assertThat(currentBuffers).allSatisfy(buf -> assertThat(buf.refCnt()).isEqualTo(1));
    assertThat(readSlice(current.slice(0), 4)).isEqualTo("new!");
  }

  @Test
  void invalidateStoredObject_storedCopy_removedWithItsSlices() {
    StoredObject object = object(A, 1, 6, 4);
    tier.storeObject(object);
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
    tier.storeObject(object);
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
    tier.storeObject(a);
    tier.storeObject(b);
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
    tier.storeObject(object);
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
}
