package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract ({@link Storage}, #20 point 1) over a real memory tier and a real disk tier
 * in a temporary directory: which form a read takes (memory view, verified file), a fill from the
 * disk file (and its fallback when there is no file, or a corrupt one), presence across tiers, and
 * removal from both. Bytes are compared with what was stored.
 */
class StorageTest {

  private static final int SLICE = 4096;
  private static final CacheKey KEY = new CacheKey("cloud", "/books/maths.pdf");

  @TempDir
  Path dir;

  private MemoryTier memory;
  private DiskTier disk;
  private Storage storage;
  private final StoredObject object = new StoredObject(KEY, 42, 200, new DefaultHttpHeaders().add("ETag", "\"v1\""),
      2L * SLICE, SLICE, 0, 0, 0, 0, 600, true);

  @BeforeEach
  void open() {
    memory = new MemoryTier(1 << 20, 1 << 16, Runnable::run, () -> { });
    disk = DiskTier.open(dir, 64L << 20, () -> { });
    await().atMost(Duration.ofSeconds(10)).until(disk::loaded);
    storage = new Storage(memory, disk, ByteBufAllocator.DEFAULT);
  }

  @AfterEach
  void close() {
    memory.close();
    disk.close();
  }

  private static byte[] bytes(int index) {
    byte[] b = new byte[SLICE];
    Arrays.fill(b, (byte) ('a' + index));
    return b;
  }

  /** Publishes the object and writes slice {@code index} to its file only (memory keeps no copy). */
  private void onDiskOnly(int index) {
    storage.publish(object);
    Slice slice = new Slice(object.slice(index), Unpooled.buffer(SLICE, SLICE));
    ByteBuf data = Unpooled.wrappedBuffer(bytes(index));
    slice.write(0, data, 0, SLICE);
    data.release();
    storage.sliceCompleted(object, slice);
    slice.release();
    await().atMost(Duration.ofSeconds(10)).until(() -> storage.inFile(object.slice(index)));
  }

  /** Reads the file once through the disk tier, which verifies it (zero-copy may send it from then on). */
  private void verify(int index) {
    AtomicReference<ByteBuf> read = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    disk.readSlice(object, object.slice(index), ByteBufAllocator.DEFAULT, data -> {
      read.set(data);
      done.set(true);
    });
    await().atMost(Duration.ofSeconds(10)).untilTrue(done);
    assertThat(read.get()).isNotNull();
    read.get().release();
  }

  private static byte[] content(Slice slice) {
    ByteBuf view = slice.read(0, slice.length());
    try {
      byte[] b = new byte[view.readableBytes()];
      view.getBytes(view.readerIndex(), b);
      return b;
    } finally {
      view.release();
    }
  }

  @Test
  void aVerifiedFileIsReadFromTheFileOnlyWhenTheConnectionCanSendOneAndMemoryHasNoCopy() {
    onDiskOnly(0);
    verify(0);

    SliceRead zeroCopy = storage.read(object, 0, SliceRead.Sink.BUFFERS_AND_FILES, SliceRead.Use.COUNTED);
    assertThat(zeroCopy).isInstanceOf(SliceFile.class);
    SliceFile file = (SliceFile) zeroCopy;
    assertThat(file.length()).isEqualTo(SLICE);
    assertThat(memory.hasSlice(object.slice(0))).as("no memory copy made for a file sent").isFalse();

    SliceRead tls = storage.read(object, 0, SliceRead.Sink.BUFFERS_ONLY, SliceRead.Use.COUNTED);
    assertThat(tls).isInstanceOf(Slice.class);
    ((Slice) tls).release();
    assertThat(storage.read(object, 0, SliceRead.Sink.BUFFERS_AND_FILES, SliceRead.Use.COUNTED)).as("memory has a copy now").isInstanceOf(Slice.class)
        .satisfies(read -> ((Slice) read).release());
  }

  @Test
  void aReadCountsAUseOnlyWhenAsked() {
    storage.publish(object);
    storage.sliceOrCreate(object, 0).release(); // created: counted once, as its fetch
    long before = memory.meteredCache().stats().hitCount();
    ((Slice) storage.read(object, 0, SliceRead.Sink.BUFFERS_ONLY, SliceRead.Use.COUNTED_AT_CREATION)).release();
    assertThat(memory.meteredCache().stats().hitCount()).isEqualTo(before);
    ((Slice) storage.read(object, 0, SliceRead.Sink.BUFFERS_ONLY, SliceRead.Use.COUNTED)).release();
    assertThat(memory.meteredCache().stats().hitCount()).isEqualTo(before + 1);
  }

  @Test
  void aFillReadsTheFileIntoTheMemorySliceWithItsBytes() {
    onDiskOnly(1);
    Slice slice = storage.sliceOrCreate(object, 1);
    Slice.Claim claim = slice.claimExactly(100, 200);
    slice.retain(); // the fill takes over one reference; this test keeps its own
    AtomicBoolean otherwise = new AtomicBoolean();
    storage.fill(object, slice, claim, ImmediateEventExecutor.INSTANCE, () -> otherwise.set(true));

    await().atMost(Duration.ofSeconds(10)).until(slice::isComplete);
    assertThat(otherwise).isFalse();
    assertThat(content(slice)).as("the whole slice, every gap filled").isEqualTo(bytes(1));
    slice.release();
    assertThat(storage.allStored(object, SLICE, 2L * SLICE)).isTrue();
    assertThat(storage.allInMemory(object, SLICE, 2L * SLICE)).isTrue();
    assertThat(storage.allInMemory(object, 0, SLICE)).isFalse();
  }

  @Test
  void withoutAFileAFillRunsTheFallbackAtOnceWhichOwnsClaimAndReference() {
    storage.publish(object);
    Slice slice = storage.sliceOrCreate(object, 0);
    Slice.Claim claim = slice.claimExactly(0, SLICE);
    AtomicBoolean otherwise = new AtomicBoolean();
    storage.fill(object, slice, claim, ImmediateEventExecutor.INSTANCE, () -> otherwise.set(true));
    assertThat(otherwise).isTrue();
    assertThat(slice.refCnt()).as("the fallback owns the caller's reference").isPositive();
    slice.failClaim(claim);
    slice.release();
    assertThat(storage.allStored(object, 0, SLICE)).isFalse();
  }

  @Test
  void aCorruptFileIsDroppedAndTheFallbackRuns() throws IOException {
    onDiskOnly(0);
    // Flip the last byte of the slice's data in its file: its CRC32C no longer matches.
    Path onDisk = findSliceFile();
    try (FileChannel channel = FileChannel.open(onDisk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long last = channel.size() - 1;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, last);
      one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
      channel.write(one, last);
    }
    Slice slice = storage.sliceOrCreate(object, 0);
    Slice.Claim claim = slice.claimExactly(0, SLICE);
    AtomicBoolean otherwise = new AtomicBoolean();
    storage.fill(object, slice, claim, ImmediateEventExecutor.INSTANCE, () -> {
      slice.failClaim(claim);
      slice.release();
      otherwise.set(true);
    });
    await().atMost(Duration.ofSeconds(10)).untilTrue(otherwise);
    assertThat(storage.inFile(object.slice(0))).as("dropped from the index").isFalse();
    assertThat(disk.corruptReads()).isEqualTo(1);
  }

  private Path findSliceFile() throws IOException {
    try (var walk = java.nio.file.Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".slice")).findFirst().orElseThrow();
    }
  }

  @Test
  void anObjectOnlyOnDiskIsCopiedToMemoryWhenLookedUpAndRemovedFromBothByInvalidate() {
    onDiskOnly(0);
    memory.invalidate(KEY);
    assertThat(storage.inMemory(KEY)).isNull();
    assertThat(storage.holds(KEY)).isTrue();

    assertThat(storage.object(KEY)).isEqualTo(object);
    assertThat(storage.inMemory(KEY)).as("promoted").isEqualTo(object);

    storage.invalidate(KEY);
    assertThat(storage.holds(KEY)).isFalse();
    assertThat(storage.inFile(object.slice(0))).isFalse();
  }

  @Test
  void aPurgeRemovesFromBothTiersAndSaysFromWhich() throws Exception {
    onDiskOnly(0);
    StoredObject other = new StoredObject(new CacheKey("cloud", "/books/other.pdf"), 43, 200, new DefaultHttpHeaders(),
        SLICE, SLICE, 0, 0, 0, 0, 600, true);
    memory.storeObject(other);

    Storage.Purged purged = storage.purge(key -> key.pathAndQuery().startsWith("/books/"), ForkJoinPool.commonPool())
        .get();
    assertThat(purged.inMemory()).containsExactlyInAnyOrder(object, other);
    assertThat(purged.onDisk()).containsExactly(object);
    assertThat(storage.holds(KEY)).isFalse();
    assertThat(storage.holds(other.key())).isFalse();
  }

  @Test
  void aRefreshReplacesTheStoredCopyInBothTiersButNeverANewerOne() {
    storage.publish(object);
    StoredObject refreshed = new StoredObject(KEY, 42, 200, new DefaultHttpHeaders().add("ETag", "\"v1\"")
        .add("X-Refreshed", "1"), 2L * SLICE, SLICE, 0, 0, 0, 0, 900, true);
    storage.refresh(KEY, stored -> refreshed);
    assertThat(storage.inMemory(KEY)).isSameAs(refreshed);
    await().atMost(Duration.ofSeconds(10)).until(() -> disk.object(KEY) != null
        && "1".equals(disk.object(KEY).headers().get("X-Refreshed")));

    StoredObject newer = new StoredObject(KEY, 43, 200, new DefaultHttpHeaders(), SLICE, SLICE, 0, 0, 0, 0, 600, true);
    storage.refresh(KEY, stored -> {
      storage.publish(newer); // another copy takes its place meanwhile
      return refreshed;
    });
    assertThat(storage.inMemory(KEY)).isSameAs(newer);
  }
}
