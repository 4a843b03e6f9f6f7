package fr.acclermont.benchmarks.metrics;

import fr.acclermont.gateway.cache.DiskTier;
import fr.acclermont.gateway.cache.MemoryTier;
import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.CacheTier;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.metrics.OriginOutcome;
import fr.acclermont.gateway.metrics.StaleReason;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.io.FileUtils;
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
 * Rendering {@code /metrics}: {@code GatewayMetrics.scrape()}, the Prometheus text of every meter,
 * as the admin port answers each scrape (every 15 s or so per Prometheus: its cost is the memory
 * and the pause it takes, not throughput).
 *
 * <p>Workload: the meters of a gateway that has served a school day: both tiers registered and
 * bound (memory and disk, with their Caffeine statistics), the disk tier's health, the allocator's
 * memory, three origins each with every origin outcome recorded, their bytes, up and down probes;
 * requests recorded for every cache outcome with the statuses each really meets (GET, HEAD and
 * other methods: 22 request timers of 14 buckets each), time to first byte for every outcome,
 * served bytes by source, stale responses by reason, coalesced requests; plus the JVM binders.
 * The text is about 74 KB; the setup prints its size once.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar MetricsScrape -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
    "-DGATEWAY_LOG_LEVEL=WARN"})
public class MetricsScrapeBenchmark {

  private static final String[] ORIGINS = {"cloud", "media", "ent"};

  /** The requests a school's day brings, by cache outcome: GET statuses, then HEAD and other methods. */
  private static final Object[][] REQUESTS = {
    {"GET", CacheOutcome.HIT, new int[] {200, 206, 304, 416}},
    {"GET", CacheOutcome.MISS, new int[] {200, 206, 404, 502, 504}},
    {"GET", CacheOutcome.STALE, new int[] {200, 502}},
    {"GET", CacheOutcome.REVALIDATED, new int[] {200, 304}},
    {"GET", CacheOutcome.BYPASS, new int[] {200, 400, 403, 404}},
    {"HEAD", CacheOutcome.HIT, new int[] {200}},
    {"HEAD", CacheOutcome.BYPASS, new int[] {200}},
    {"POST", CacheOutcome.BYPASS, new int[] {200, 201, 413}},
  };

  private GatewayMetrics metrics;
  private MemoryTier memory;
  private DiskTier disk;
  private Path diskDir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    metrics = new GatewayMetrics("0.1.0-bench", "ecole-jules-ferry");
    metrics.bindAllocator(ByteBufAllocator.DEFAULT);
    memory = new MemoryTier(512L << 20, 64L << 20, ForkJoinPool.commonPool(), () -> metrics.evicted(CacheTier.MEMORY));
    metrics.registerTier(CacheTier.MEMORY, memory, MemoryTier::weightedBytes, 512L << 20);
    metrics.bindCache(CacheTier.MEMORY, memory.meteredCache());
    diskDir = Files.createTempDirectory("bench-metrics-disk-");
    disk = DiskTier.open(diskDir, 50L << 30, () -> metrics.evicted(CacheTier.DISK));
    metrics.registerTier(CacheTier.DISK, disk, DiskTier::weightedBytes, 50L << 30);
    metrics.bindCache(CacheTier.DISK, disk.meteredCache());
    metrics.registerDisk(disk, DiskTier::removedAtLoad, DiskTier::corruptReads, DiskTier::writeErrors,
        d -> d.writesFailing() ? 1 : 0, d -> d.loaded() ? 1 : 0, d -> d.loadMillis() / 1000.0);
    for (String origin : ORIGINS) {
      metrics.registerOrigin(origin, new AtomicInteger(1), AtomicInteger::get);
      for (OriginOutcome outcome : OriginOutcome.values()) {
        metrics.originRequest(origin, outcome, TimeUnit.MILLISECONDS.toNanos(42));
      }
      metrics.originBytes(origin, 123_456_789);
      metrics.originProbe(origin, false);
      metrics.originProbe(origin, true);
    }
    int requestTimers = 0;
    for (Object[] row : REQUESTS) {
      for (int status : (int[]) row[2]) {
        for (int i = 0; i < 10; i++) {
          metrics.request((String) row[0], status, (CacheOutcome) row[1], TimeUnit.MICROSECONDS.toNanos(300 << i));
        }
        requestTimers++;
      }
    }
    for (CacheOutcome outcome : CacheOutcome.values()) {
      metrics.firstByte(outcome, TimeUnit.MILLISECONDS.toNanos(3));
    }
    for (ByteSource source : ByteSource.values()) {
      metrics.served(source, 987_654_321);
    }
    for (StaleReason reason : StaleReason.values()) {
      metrics.staleResponse(reason);
    }
    metrics.coalesced();
    metrics.connectionOpened();
    metrics.evicted(CacheTier.MEMORY);
    metrics.accessLogDropped();
    String text = metrics.scrape();
    System.out.printf("# /metrics: %d bytes, %d lines, %d request timers%n", text.length(),
        text.lines().count(), requestTimers);
  }

  @Benchmark
  public String scrape() {
    return metrics.scrape();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    memory.close();
    disk.close();
    FileUtils.deleteQuietly(diskDir.toFile());
  }
}
