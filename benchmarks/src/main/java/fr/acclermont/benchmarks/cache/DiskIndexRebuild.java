package fr.acclermont.benchmarks.cache;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.DiskTier;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.SliceKey;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;

/**
 * Measures the disk tier's start-up index rebuild: fills a directory with {@code ENTRIES} slice
 * files (tiny slices, 1000 per object, so that a million entries fit any disk), closes the tier,
 * opens it again and reports how long the background rebuild took, then deletes the directory.
 * A one-shot measurement of wall time, not a JMH benchmark: the rebuild happens once per start.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar fr.acclermont.benchmarks.cache.DiskIndexRebuild 100000 [DIR]
 * </pre>
 */
public final class DiskIndexRebuild {

  private static final int SLICE_BYTES = 64;
  private static final int SLICES_PER_OBJECT = 1000;

  private DiskIndexRebuild() {
  }

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("disk-index-rebuild-");
    try {
      long fillStart = System.nanoTime();
      DiskTier tier = DiskTier.open(dir, 1L << 40, () -> { });
      awaitLoaded(tier);
      int objects = (entries + SLICES_PER_OBJECT - 1) / SLICES_PER_OBJECT;
      HttpHeaders headers = new DefaultHttpHeaders().set("etag", "\"v1\"").set("cache-control", "max-age=86400");
      for (int o = 0; o < objects; o++) {
        int slices = Math.min(SLICES_PER_OBJECT, entries - o * SLICES_PER_OBJECT);
        StoredObject object = new StoredObject(new CacheKey("cloud", "/bench/object-" + o), o + 1L, 200, headers,
            (long) slices * SLICE_BYTES, SLICE_BYTES, 0, 0, 0, 0, 86_400, true);
        tier.storeObject(object);
        for (int i = 0; i < slices; i++) {
          Slice slice = new Slice(new SliceKey(object.key(), object.version(), i), Unpooled.directBuffer(SLICE_BYTES));
          Slice.Claim claim = slice.claimExactly(0, SLICE_BYTES);
          slice.write(0, Unpooled.wrappedBuffer(new byte[SLICE_BYTES]), 0, SLICE_BYTES);
          slice.endClaim(claim);
          tier.storeSlice(object, slice);
          slice.release();
          while (i % 1000 == 999 && tier.pendingWrites() > 10_000) {
            TimeUnit.MILLISECONDS.sleep(5); // bounded queue: the writer is the bottleneck here
          }
        }
      }
      while (tier.pendingWrites() > 0) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      tier.close();
      System.out.printf("filled %d slice files (%d objects) in %.1f s%n", entries, objects,
          (System.nanoTime() - fillStart) / 1e9);

      DiskTier reopened = DiskTier.open(dir, 1L << 40, () -> { });
      awaitLoaded(reopened);
      System.out.printf("index rebuilt: %d entries in %d ms (%d files removed)%n", entries, reopened.loadMillis(),
          reopened.removedAtLoad());
      reopened.close();
    } finally {
      FileUtils.deleteQuietly(dir.toFile());
    }
  }

  private static void awaitLoaded(DiskTier tier) throws InterruptedException {
    while (!tier.loaded()) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }
}
