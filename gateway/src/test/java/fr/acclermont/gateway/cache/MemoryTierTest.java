package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The memory tier's slices and objects: slices created once per key and looked up, objects
 * published and replaced by newer versions, which bytes of an object are all present, the weight
 * counted, and closing the tier. Removal (invalidation, eviction) is in {@link MemoryTierRemovalTest}.
 */
class MemoryTierTest extends MemoryTierFixture {

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
  void lookups_quiet_onlyCreationAndUseRecorded() {
    StoredObject object = object(A, 1, 10, 10);
    fill(object, "0123456789"); // one creation: one recorded miss (and insertion)
    var stats = tier.meteredCache();

    assertThat(tier.hasSlice(object.slice(0))).isTrue();
    assertThat(tier.hasCompleteSlice(object.slice(0))).isTrue();
    assertThat(tier.allPresent(object, 0, 10)).isTrue();
    tier.slice(object.slice(0)).release();
    tier.sliceOrCreate(object.slice(0), 10, alloc).release();
    assertThat(stats.stats().requestCount()).as("presence checks, reads, claims: quiet").isEqualTo(1);

    tier.use(object.slice(0));
    assertThat(stats.stats().hitCount()).as("a client's read of it: one use").isEqualTo(1);
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
    tier.storeObject(object);
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
    tier.storeObject(object);
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

    tier.storeObject(object);

    assertThat(tier.object(A)).isSameAs(object);
    assertThat(tier.object(B)).isNull();
  }

  @Test
  void putObject_newerVersion_dropsTheOldSlicesOnly() {
    StoredObject old = object(A, 1, 6, 4);
    tier.storeObject(old);
    List<ByteBuf> oldBuffers = fill(old, "old!", "ol");
    StoredObject current = object(A, 2, 3, 4);
    Slice currentSlice = tier.sliceOrCreate(current.slice(0), 3, alloc);
    write(currentSlice, 0, "new");
    currentSlice.release();

    tier.storeObject(current);

    assertThat(tier.object(A)).isSameAs(current);
    assertThat(oldBuffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    assertThat(tier.slice(old.slice(0))).isNull();
    assertThat(tier.slice(old.slice(1))).isNull();
    assertThat(readSlice(current.slice(0), 3)).isEqualTo("new");
    assertThat(tier.weightedBytes()).isEqualTo(3 + ENTRY_OVERHEAD_BYTES);
    assertThat(evictions).as("replacement is not an eviction").hasValue(0);
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
    tier.storeObject(a);
    tier.storeObject(b);
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
}
