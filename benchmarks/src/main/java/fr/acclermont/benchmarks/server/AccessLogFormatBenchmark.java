package fr.acclermont.benchmarks.server;

import fr.acclermont.gateway.server.AccessLogEntry;
import fr.acclermont.gateway.server.AccessLogLines;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The access log's writer thread formatting lines ({@code AccessLogLines}), per line: a batch of
 * 64 entries of hot 16 KiB hits (as under peers-compare.sh's small load: 16 URLs, a handful of
 * clients, times a few hundred microseconds apart, one query with a token to mask) formatted into
 * the writer's reused buffer, then copied to a sink that keeps nothing (the write itself is the
 * file system's cost, not measured here). {@code -prof gc}'s {@code gc.alloc.rate.norm} is the
 * garbage per line.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AccessLogFormatBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-DGATEWAY_LOG_LEVEL=WARN"})
public class AccessLogFormatBenchmark {

  private static final int BATCH = 64;

  private final List<AccessLogEntry> batch = new ArrayList<>(BATCH);
  private final AccessLogLines lines = new AccessLogLines();
  private final OutputStream sink = OutputStream.nullOutputStream();

  @Setup
  public void setUp() throws IOException {
    long start = 1_764_979_200_123L; // 2025-12-06T00:00:00.123Z
    InetAddress[] clients = new InetAddress[4];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = InetAddress.getByName("10.20.30." + (40 + i));
    }
    for (int i = 0; i < BATCH; i++) {
      String target = i % 16 == 15 ? "/blobs/16KiB/hot-16?token=s3cr3t&page=2"
          : String.format("/blobs/16KiB/hot-%02d", i % 16 + 1);
      batch.add(new AccessLogEntry(start + i / 3, clients[i % clients.length], "GET", "HTTP/1.1", target, 200,
          16_384, "edge; hit; ttl=3541", 187_000 + 1_013L * i, 412_000 + 2_077L * i, -1, "origin",
          AccessLogEntry.End.COMPLETE));
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void formatBatch(Blackhole blackhole) throws IOException {
    lines.format(batch);
    lines.writeTo(sink);
    blackhole.consume(lines.size());
  }
}
