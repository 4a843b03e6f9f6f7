package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the disk tier counts as evicted ({@code gateway_cache_evictions_total{tier="disk"}}, #18
 * point 4): slice files removed to make room, one each, those removed with their object's evicted
 * metadata included; an object's metadata file is not a slice and never counts. The tier is filled
 * under a large budget, then its index shrunk (Caffeine's {@code setMaximum}) so that it evicts.
 */
class DiskTierEvictionsTest {

  private static final int SLICE = 4096;

  @TempDir
  Path dir;

  private final AtomicInteger evicted = new AtomicInteger();
  private DiskTier tier;

  @BeforeEach
  void open() {
    tier = DiskTier.open(dir, 64L << 20, evicted::incrementAndGet);
    await().atMost(Duration.ofSeconds(10)).until(tier::loaded);
  }

  @AfterEach
  void close() {
    tier.close();
  }

  private static StoredObject object(int n, int slices) {
    return new StoredObject(new CacheKey("cloud", "/books/" + n + ".pdf"), 1000 + n, 200,
        new DefaultHttpHeaders().add("ETag", "\"v" + n + "\""), (long) slices * SLICE, SLICE, 0, 0, 0, 0, 600, true);
  }

  /** Stores {@code object}'s metadata and every slice of it, complete. */
  private void store(StoredObject object) {
    tier.storeObject(object);
    for (int i = 0; i < object.sliceCount(); i++) {
      Slice slice = new Slice(object.slice(i), Unpooled.buffer(SLICE, SLICE));
      ByteBuf bytes = Unpooled.wrappedBuffer(new byte[SLICE]);
      slice.write(0, bytes, 0, SLICE);
      bytes.release();
      tier.storeSlice(object, slice);
      slice.release(); // the tier retains it while it writes
    }
  }

  /** Shrinks the index to {@code bytes}: it evicts down to that. */
  private void shrinkTo(long bytes) {
    tier.meteredCache().policy().eviction().orElseThrow().setMaximum(bytes);
    tier.cleanUp();
  }

  private long files(String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).count();
    }
  }

  private long indexed(Class<?> kind) {
    return tier.meteredCache().asMap().keySet().stream().filter(kind::isInstance).count();
  }

  /** Every removal handled: each entry left in the index has its file, and no file is left without one. */
  private void awaitSettled() {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
      tier.cleanUp();
      return files(".meta") == indexed(CacheKey.class) && files(".slice") == indexed(SliceKey.class);
    });
  }

  @Test
  void metadataEvicted_objectsWithoutSliceFiles_noSliceEvictionCounted() throws Exception {
    for (int n = 0; n < 30; n++) {
      store(object(n, 0));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> tier.pendingWrites() == 0 && files(".meta") == 30);

    shrinkTo(8 * 4096);
    awaitSettled();

    assertThat(files(".meta")).as("metadata files evicted").isLessThanOrEqualTo(8);
    assertThat(evicted.get()).as("slice evictions counted").isZero();
  }

  @Test
  void sliceFilesEvicted_countedOnceEach_thoseRemovedWithTheirObjectsMetadataIncluded() throws Exception {
    int objects = 8;
    int slices = 4;
    for (int n = 0; n < objects; n++) {
      store(object(n, slices));
    }
    long sliceFiles = (long) objects * slices;
    await().atMost(Duration.ofSeconds(10))
        .until(() -> tier.pendingWrites() == 0 && files(".meta") == objects && files(".slice") == sliceFiles);
    // Each object weighs a 4 KiB block of metadata and 4 slice files of 2 blocks (header and bytes).
    assertThat(tier.weightedBytes()).isEqualTo(objects * (4096 + slices * 8192L));

    shrinkTo(100 * 1024);
    awaitSettled();

    assertThat(tier.weightedBytes()).isLessThanOrEqualTo(100 * 1024);
    assertThat(files(".slice")).isLessThan(sliceFiles);
    assertThat(evicted.get()).as("slice evictions counted").isEqualTo(sliceFiles - files(".slice"));
    // A slice file stays only with its object's metadata.
    assertThat(indexed(SliceKey.class)).isLessThanOrEqualTo(indexed(CacheKey.class) * slices);
  }
}
