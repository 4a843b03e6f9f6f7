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
 * The whole request path of a memory hit: the raw bytes of a browser's GET for an image go into
 * the gateway's real client pipeline (request-head timeout, {@code HttpServerCodec},
 * {@code EdgeHandler} with its {@code RequestGuard}, {@code ResponderChooser} and
 * {@code SliceResponder}, metrics), set up by {@code EdgeServer.initClientChannel} on an
 * {@code EmbeddedChannel}; the response's bytes come out and are counted and released.
 *
 * <p>Workload: one object of {@code size} bytes whose every slice is complete in the memory tier,
 * fresh ({@code max-age=86400}); one keep-alive connection sending one request after the other, as
 * a tablet loading a book's assets does; no access log (it is written off the event loop anyway).
 * One operation is one request and its whole response: {@code 200}, {@code Cache-Status: edge; hit}.
 * The setup checks that answer, and each iteration's end that the connection is still open and
 * every reference a response took on the stored slices was released.
 *
 * <p>Measured: decoding the request, validation and routing, the cache key, the freshness
 * decision, the memory-tier lookups, building and encoding the response head ({@code Age},
 * {@code Cache-Status}, {@code Via}), retained views of the stored buffers (256 KiB per write),
 * the write and flush through the pipeline, the request metrics, the timers a request schedules
 * (and running those that are due). Not measured: the socket (the
 * kernel's copy into the socket buffer, epoll), other connections, the event loop's task queue
 * and wake-ups. The body is never copied on this path, so time per request grows with the number
 * of writes (one per 256 KiB), not with bytes; {@code gc.alloc.rate.norm} is the heap allocated
 * per request. The benchmark thread is a Netty {@code FastThreadLocalThread}
 * ({@link fr.acclermont.benchmarks.EventLoopThreadExecutor}), so Netty's recyclers and allocator
 * caches behave as on an event loop.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar MemoryHitPipeline -prof gc
 * java -jar benchmarks/target/benchmarks.jar MemoryHitPipeline -p size=4096 -prof gc
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
public class MemoryHitPipelineBenchmark {

  /** The object's size in bytes: a CSS file, an image, a PDF's slice. */
  @Param({"4096", "65536", "1048576"})
  public int size;

  private EdgeFixture fixture;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    fixture = new EdgeFixture(size, false);
    fixture.checkHit(null);
  }

  /** One GET answered from memory; returns the response's bytes (head and body). */
  @Benchmark
  public long memoryHit() throws IOException {
    return fixture.request();
  }

  @TearDown(Level.Iteration)
  public void checkReleased() {
    EdgeChecks.checkSettled(fixture);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fixture.close();
  }
}
