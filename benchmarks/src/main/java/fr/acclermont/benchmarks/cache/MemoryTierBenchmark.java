package fr.acclermont.benchmarks.cache;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.MemoryTier;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Looking up a hit in the memory tier: an object's metadata by its key, then its first slice
 * with a reference taken and given back, as a response does for each slice it serves.
 * <ul>
 *   <li>{@code baseline}: the next key, to subtract.
 *   <li>{@code object}: {@code MemoryTier.object(key)} (Caffeine, 1M entries max).
 *   <li>{@code objectAndSlice}: then {@code slice(SliceKey)}: lookup, {@code tryRetain}, release.
 *   <li>{@code objectAndSliceOrCreate}: then {@code sliceOrCreate}, the call a response actually
 *       makes for each slice (through {@code SliceFetcher.slice}), found present.
 * </ul>
 *
 * <p>Workload: 4096 objects of one 4 KiB slice each, every slice complete (the size of a slice
 * changes nothing to a lookup, so it is not a parameter); keys drawn with a Zipf distribution
 * (exponent 0.99, as Caffeine's own benchmarks use) over 2<sup>16</sup> pre-drawn indexes read in
 * turn, so that a few hot objects take most lookups, as a class reading the same book does.
 * Caffeine maintenance runs on the common pool, as in the gateway. Run with {@code -t 2} to see
 * two event loops looking up at once.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar MemoryTierBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar MemoryTierBenchmark.objectAndSlice -t 2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
    "-DGATEWAY_LOG_LEVEL=WARN"})
public class MemoryTierBenchmark {

  private static final int OBJECTS = 4096;
  private static final int SLICE_BYTES = 4096;
  private static final int DRAWS = 1 << 16;
  private static final int MASK = DRAWS - 1;

  private MemoryTier tier;
  private final CacheKey[] keys = new CacheKey[DRAWS];

  /** Each benchmark thread's place in the draws; threads start apart. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private int index;

    @Setup(Level.Trial)
    public void setUp() {
      index = THREADS.getAndIncrement() * (DRAWS / 7);
    }

    int next() {
      return index++ & MASK;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    tier = new MemoryTier(1L << 30, 64L << 20, ForkJoinPool.commonPool(), () -> { });
    HttpHeaders headers = new DefaultHttpHeaders().set("content-type", "image/png").set("etag", "\"v1\"")
        .set("cache-control", "public, max-age=86400");
    CacheKey[] objects = new CacheKey[OBJECTS];
    byte[] bytes = new byte[SLICE_BYTES];
    long now = System.currentTimeMillis();
    for (int i = 0; i < OBJECTS; i++) {
      CacheKey key = new CacheKey("cloud", "/books/book-" + (i % 40) + "/assets/img/page-" + i + ".png");
      objects[i] = key;
      StoredObject object = new StoredObject(key, tier.nextVersion(), 200, headers, SLICE_BYTES, 1 << 20, now, now,
          now, 0, 86_400, true);
      tier.storeObject(object);
      Slice slice = tier.sliceOrCreate(object.slice(0), SLICE_BYTES, ByteBufAllocator.DEFAULT);
      Slice.Claim claim = slice.claimExactly(0, SLICE_BYTES);
      slice.write(0, Unpooled.wrappedBuffer(bytes), 0, SLICE_BYTES);
      slice.endClaim(claim);
      slice.release();
    }
    tier.cleanUp();
    int[] ranks = zipf(OBJECTS, 0.99, DRAWS, new Random(7));
    for (int i = 0; i < DRAWS; i++) {
      keys[i] = objects[ranks[i]];
    }
    for (CacheKey key : objects) {
      if (tier.object(key) == null || !tier.hasCompleteSlice(tier.object(key).slice(0))) {
        throw new IllegalStateException("not every object is a hit: " + key);
      }
    }
  }

  /** {@code draws} ranks in {@code [0, n)}, rank r drawn with probability proportional to 1/(r+1)^s. */
  static int[] zipf(int n, double s, int draws, Random random) {
    double[] cumulative = new double[n];
    double total = 0;
    for (int r = 0; r < n; r++) {
      total += 1 / Math.pow(r + 1, s);
      cumulative[r] = total;
    }
    int[] out = new int[draws];
    for (int i = 0; i < draws; i++) {
      double u = random.nextDouble() * total;
      int r = java.util.Arrays.binarySearch(cumulative, u);
      out[i] = r >= 0 ? r : Math.min(n - 1, -r - 1);
    }
    return out;
  }

  @Benchmark
  public CacheKey baseline(Cursor cursor) {
    return keys[cursor.next()];
  }

  @Benchmark
  public StoredObject object(Cursor cursor) {
    return tier.object(keys[cursor.next()]);
  }

  @Benchmark
  public int objectAndSlice(Cursor cursor) {
    StoredObject object = tier.object(keys[cursor.next()]);
    Slice slice = tier.slice(object.slice(0));
    int length = slice.length();
    slice.release();
    return length;
  }

  @Benchmark
  public int objectAndSliceOrCreate(Cursor cursor) {
    StoredObject object = tier.object(keys[cursor.next()]);
    Slice slice = tier.sliceOrCreate(object.slice(0), object.sliceLength(0), ByteBufAllocator.DEFAULT);
    int length = slice.length();
    slice.release();
    return length;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tier.close();
  }
}
