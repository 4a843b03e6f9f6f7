package fr.acclermont.gateway.cache;

import static java.nio.charset.StandardCharsets.US_ASCII;
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
import org.junit.jupiter.params.provider.ValueSource;

/** Fills of the memory tier, with Caffeine's maintenance on the calling thread (STYLE T6). */
class SliceWriterTest {

  private static final CacheKey KEY = new CacheKey("cloud", "/book.pdf");
  private static final int SLICE_SIZE = 4;
  private static final String BODY = "abcdefghij";

  private final TrackingAllocator alloc = new TrackingAllocator();
  private final AtomicInteger evictions = new AtomicInteger();
  private MemoryTier tier = new MemoryTier(1 << 20, 1 << 16, Runnable::run, evictions::incrementAndGet);
  private final List<Long> committedVersions = new ArrayList<>();

  @AfterEach
  void closeAndCheckReleased() {
    tier.close();
    alloc.assertAllReleased();
  }

  @ParameterizedTest(name = "contentLength={0}, chunks of {1}")
  @CsvSource({"10, 1", "10, 3", "10, 4", "10, 10", "-1, 1", "-1, 3", "-1, 4", "-1, 10"})
  void commit_bodyInChunks_slicesOfSliceSizePublishedAtCommit(long contentLength, int chunkSize) {
    SliceWriter writer = writer(contentLength);
    for (int i = 0; i < BODY.length(); i += chunkSize) {
      assertThat(append(writer, BODY.substring(i, Math.min(BODY.length(), i + chunkSize)))).isTrue();
    }
    assertThat(tier.object(KEY)).as("published before commit").isNull();

    assertThat(commit(writer)).isTrue();

    StoredObject stored = tier.object(KEY);
    assertThat(stored).isNotNull();
    assertThat(stored.version()).isEqualTo(committedVersions.get(0));
    assertThat(stored.length()).isEqualTo(10);
    assertThat(stored.sliceSize()).isEqualTo(SLICE_SIZE);
    assertThat(stored.sliceCount()).isEqualTo(3);
    assertThat(sliceContents(stored)).containsExactly("abcd", "efgh", "ij");
    assertThat(sliceCapacities(stored)).as("the last slice holds no spare room").containsExactly(4, 4, 2);
    assertThat(tier.acquireSlice(stored.slice(3))).isNull();
    assertThat(alloc.live()).isEqualTo(3);
  }

  @ParameterizedTest(name = "contentLength={0}")
  @ValueSource(longs = {8, -1})
  void commit_exactMultipleOfSliceSize_noTrailingEmptySlice(long contentLength) {
    SliceWriter writer = writer(contentLength);
    append(writer, "abcdefgh");

    assertThat(commit(writer)).isTrue();

    StoredObject stored = tier.object(KEY);
    assertThat(stored.sliceCount()).isEqualTo(2);
    assertThat(sliceContents(stored)).containsExactly("abcd", "efgh");
    assertThat(tier.acquireSlice(stored.slice(2))).isNull();
    assertThat(alloc.live()).isEqualTo(2);
  }

  @ParameterizedTest(name = "contentLength={0}")
  @ValueSource(longs = {0, -1})
  void commit_emptyBody_publishedWithoutSlices(long contentLength) {
    SliceWriter writer = writer(contentLength);
    assertThat(append(writer, "")).isTrue();

    assertThat(commit(writer)).isTrue();

    StoredObject stored = tier.object(KEY);
    assertThat(stored.length()).isZero();
    assertThat(stored.sliceCount()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(alloc.live()).isZero();
  }

  @Test
  void append_data_copiedWithoutConsumingIt() {
    SliceWriter writer = writer(-1);
    ByteBuf data = Unpooled.copiedBuffer("xxabcdefyy", US_ASCII).setIndex(2, 8);
    try {
      assertThat(writer.append(data)).isTrue();
      assertThat(data.readerIndex()).isEqualTo(2);
      assertThat(data.writerIndex()).isEqualTo(8);
    } finally {
      data.release();
    }

    assertThat(commit(writer)).isTrue();
    assertThat(sliceContents(tier.object(KEY))).containsExactly("abcd", "ef");
  }

  @Test
  void commit_fewerBytesThanContentLength_notPublishedAndSlicesRemoved() {
    SliceWriter writer = writer(10);
    append(writer, "abcdefghi");
    assertThat(tier.weightedBytes()).as("sealed slices are stored as the body streams").isPositive();

    assertThat(commit(writer)).isFalse();

    assertThat(committedVersions).isEmpty();
    assertThat(tier.object(KEY)).isNull();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(alloc.live()).isZero();
  }

  @Test
  void append_moreBytesThanContentLength_abortsAndReturnsFalse() {
    SliceWriter writer = writer(6);
    assertThat(append(writer, "abcd")).isTrue();

    assertThat(append(writer, "efg")).isFalse();

    assertThat(alloc.live()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(commit(writer)).isFalse();
    assertThat(tier.object(KEY)).isNull();
  }

  @ParameterizedTest(name = "contentLength={0}")
  @ValueSource(longs = {12, -1})
  void append_beyondMaxObjectBytes_abortsAndReturnsFalse(long contentLength) {
    tier = new MemoryTier(1 << 20, 8, Runnable::run, evictions::incrementAndGet);
    SliceWriter writer = writer(contentLength);
    assertThat(append(writer, "abcdef")).isTrue();

    assertThat(append(writer, "ghi")).isFalse();

    assertThat(alloc.live()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(append(writer, "j")).as("append after abort").isFalse();
    assertThat(commit(writer)).isFalse();
    assertThat(tier.object(KEY)).isNull();
  }

  @Test
  void append_exactlyMaxObjectBytes_stored() {
    tier = new MemoryTier(1 << 20, 8, Runnable::run, evictions::incrementAndGet);
    SliceWriter writer = writer(-1);

    assertThat(append(writer, "abcdefgh")).isTrue();

    assertThat(commit(writer)).isTrue();
    assertThat(tier.object(KEY).length()).isEqualTo(8);
  }

  @Test
  void abort_afterSealedSlices_removesThemAndReleasesEveryBuffer() {
    SliceWriter writer = writer(-1);
    append(writer, "abcdefghi"); // two sealed slices and a partial one
    assertThat(alloc.live()).isEqualTo(3);

    writer.abort();

    assertThat(alloc.live()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    writer.abort(); // idempotent
    assertThat(commit(writer)).isFalse();
    assertThat(tier.object(KEY)).isNull();
    assertThat(evictions).hasValue(0);
  }

  @Test
  void commit_secondFillOfSameKey_replacesFirstAndReleasesItsSlices() {
    SliceWriter first = writer(-1);
    append(first, "old-body");
    commit(first);
    List<ByteBuf> oldSlices = alloc.allocated();
    StoredObject old = tier.object(KEY);

    SliceWriter second = writer(-1);
    append(second, "new");
    commit(second);

    StoredObject current = tier.object(KEY);
    assertThat(current.version()).isNotEqualTo(old.version());
    assertThat(sliceContents(current)).containsExactly("new");
    assertThat(oldSlices).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    assertThat(tier.acquireSlice(old.slice(0))).isNull();
  }

  @Test
  void commit_twice_secondIsNoOp() {
    SliceWriter writer = writer(-1);
    append(writer, "abc");

    assertThat(commit(writer)).isTrue();
    assertThat(commit(writer)).isFalse();
    assertThat(committedVersions).hasSize(1);
  }

  private SliceWriter writer(long contentLength) {
    return new SliceWriter(tier, alloc, KEY, SLICE_SIZE, contentLength);
  }

  private static boolean append(SliceWriter writer, String chunk) {
    ByteBuf data = Unpooled.copiedBuffer(chunk, US_ASCII);
    try {
      return writer.append(data);
    } finally {
      data.release();
    }
  }

  private boolean commit(SliceWriter writer) {
    return writer.commit((version, length, sliceSize) -> {
      committedVersions.add(version);
      return new StoredObject(KEY, version, 200, new DefaultHttpHeaders(), length, sliceSize, 0, 0, 0, 0, 60);
    });
  }

  private List<String> sliceContents(StoredObject stored) {
    List<String> contents = new ArrayList<>();
    for (int i = 0; i < stored.sliceCount(); i++) {
      ByteBuf slice = tier.acquireSlice(stored.slice(i));
      assertThat(slice).as("slice %d", i).isNotNull();
      try {
        contents.add(slice.toString(US_ASCII));
      } finally {
        slice.release();
      }
    }
    return contents;
  }

  private List<Integer> sliceCapacities(StoredObject stored) {
    List<Integer> capacities = new ArrayList<>();
    for (int i = 0; i < stored.sliceCount(); i++) {
      ByteBuf slice = tier.acquireSlice(stored.slice(i));
      try {
        capacities.add(slice.capacity());
      } finally {
        slice.release();
      }
    }
    return capacities;
  }
}
