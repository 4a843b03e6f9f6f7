package fr.acclermont.benchmarks.server;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole request path of a disk hit: as {@link MemoryHitPipelineBenchmark} (a browser's GET in
 * through the real client pipeline on an {@code EmbeddedChannel}, the response out), for an
 * object whose metadata is in the memory tier and whose slices are only on the disk tier, each
 * verified once since start-up, so that {@code SliceResponder} sends them from their files with
 * zero-copy ({@code DefaultFileRegion}) without putting them in memory.
 *
 * <p>Workload: one object of {@code size} bytes on a disk tier in a temporary directory (by
 * default under {@code java.io.tmpdir}: set {@code -Djava.io.tmpdir} to measure another file
 * system), its files in the page cache after the first request; one keep-alive connection, one
 * request after the other. One operation is one request: {@code 200},
 * {@code Cache-Status: edge; hit; ttl=...; detail=disk}, checked by the setup.
 *
 * <p>Measured: what the memory hit measures, less the memory-tier slice views, plus the disk
 * index lookups and, per slice, a {@code FileRegion}: opening the slice file, {@code transferTo}
 * into a sink, closing it. The sink is {@code /dev/null} opened as a {@code FileChannel}, so the
 * JDK uses {@code sendfile(2)} as Netty's epoll transport does on a socket, and the bytes never
 * enter the JVM; the kernel's page-cache lookups are measured, the copy into a socket buffer and
 * the network are not. Without {@code /dev/null} the sink is a counting channel, through which the
 * JDK copies the bytes into a temporary buffer (slower than a socket would be). A cold page cache
 * (a file read from the device) is not measured. The benchmark thread is a Netty
 * {@code FastThreadLocalThread}, as for the memory hit.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DiskHitPipeline -prof gc
 * java -jar benchmarks/target/benchmarks.jar DiskHitPipeline -p size=1048576 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
    "-DGATEWAY_LOG_LEVEL=WARN", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=fr.acclermont.benchmarks.EventLoopThreadExecutor"})
public class DiskHitPipelineBenchmark {

  /** The object's size in bytes: a CSS file, an image, a PDF's slice. */
  @Param({"4096", "65536", "1048576"})
  public int size;

  private EdgeFixture fixture;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    fixture = new EdgeFixture(size, true);
    fixture.checkHit("disk");
  }

  /** One GET answered from the disk tier with zero-copy; returns the response's bytes (head and body). */
  @Benchmark
  public long diskHit() throws IOException {
    return fixture.request();
  }

  @TearDown(Level.Iteration)
  public void checkSettled() {
    EdgeChecks.checkSettled(fixture);
    for (int i = 0; i < fixture.object().sliceCount(); i++) {
      if (fixture.memory().hasSlice(fixture.object().slice(i))) {
        throw new IllegalStateException("slice " + i + " came into memory: not a zero-copy disk hit any more");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fixture.close();
  }
}
