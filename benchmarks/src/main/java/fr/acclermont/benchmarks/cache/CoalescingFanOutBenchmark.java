package fr.acclermont.benchmarks.cache;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.SliceKey;
import fr.acclermont.gateway.cache.Watchers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.Random;
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
 * Coalescing fan-out: one slice filled by one origin fetch while a class of 35 clients watches it
 * and reads each run of bytes as it lands. One operation is the life of one slice: a direct buffer
 * of {@code size} bytes allocated, the whole slice claimed by the fetch, then the 35 readers
 * arrive and watch it ({@code Slice.watch}); the fetch writes the bytes in pieces of {@code chunk}
 * bytes ({@code Slice.write}, which publishes them and signals the watchers, at most one
 * notification queued per watcher), and after each piece the readers' event loops run: each
 * reader asks where its next byte stands ({@code Slice.need}), takes a retained view of the new
 * bytes ({@code Slice.read}, as {@code SliceResponder} does before writing it) and releases it;
 * then the claim ends, every reader has read all {@code size} bytes and stops watching, and the
 * slice is released.
 *
 * <p>Workload: 35 readers over two event loops (as on the two cores of a school's server), 16 KiB
 * pieces (socket reads from a school's uplink), readers that keep up (each is told once per
 * piece). Everything runs on the benchmark thread: the loops are {@code EmbeddedChannel}s whose
 * queued tasks run when asked, so this measures the CPU work of the fan-out (the signalling, the
 * tasks, the {@code need} decisions under the slice's lock, the views) and not the cross-thread
 * hand-off and wake-ups of real event loops, nor the client channels' writes. The benchmark
 * thread is a Netty {@code FastThreadLocalThread} ({@link fr.acclermont.benchmarks.EventLoopThreadExecutor}),
 * so the slice's buffer comes from the allocator as on an event loop. Compare with
 * {@code -p watchers=1} for the cost of one reader.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CoalescingFanOut -prof gc
 * java -jar benchmarks/target/benchmarks.jar CoalescingFanOut -p watchers=1,35 -p size=1048576
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
    "-DGATEWAY_LOG_LEVEL=WARN", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=fr.acclermont.benchmarks.EventLoopThreadExecutor"})
public class CoalescingFanOutBenchmark {

  /** The slice's size in bytes. */
  @Param({"4096", "65536", "1048576"})
  public int size;

  /** Clients reading the slice as it fills: a class. */
  @Param({"35"})
  public int watchers;

  /** Bytes per write of the fetch into the slice. */
  @Param({"16384"})
  public int chunk;

  private static final CacheKey KEY = new CacheKey("cloud", "/books/maths-6e/book.pdf");

  private final EmbeddedChannel[] loops = {new EmbeddedChannel(), new EmbeddedChannel()};
  private ByteBuf origin;
  private Reader[] readers;
  private long version;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] bytes = new byte[size];
    new Random(1).nextBytes(bytes);
    origin = Unpooled.directBuffer(size).writeBytes(bytes);
    readers = new Reader[watchers];
    for (int i = 0; i < watchers; i++) {
      readers[i] = new Reader(loops[i % loops.length].eventLoop());
    }
  }

  /** Fills one slice while every reader reads it; returns the bytes the readers read in total. */
  @Benchmark
  public long fanOut() {
    Slice slice = new Slice(new SliceKey(KEY, ++version, 0), ByteBufAllocator.DEFAULT.directBuffer(size, size));
    Slice.Claim claim = slice.claimExactly(0, size);
    for (Reader reader : readers) {
      reader.start(slice);
    }
    for (int offset = 0; offset < size; offset += chunk) {
      slice.write(offset, origin, offset, Math.min(chunk, size - offset));
      runLoops();
    }
    slice.endClaim(claim);
    runLoops();
    long total = 0;
    for (Reader reader : readers) {
      total += reader.finish();
    }
    slice.release();
    return total;
  }

  private void runLoops() {
    for (EmbeddedChannel loop : loops) {
      loop.runPendingTasks();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (EmbeddedChannel loop : loops) {
      loop.finishAndReleaseAll();
    }
    origin.release();
  }

  /** A client reading a slice as it fills, as {@code SliceResponder} does, without the channel write. */
  private static final class Reader implements Watchers.Watcher {

    private final EventExecutor loop;
    private Slice slice;
    private Watchers.Registration registration;
    private int failuresSeen;
    private int position;
    private long bytes;

    Reader(EventExecutor loop) {
      this.loop = loop;
    }

    void start(Slice watched) {
      slice = watched;
      position = 0;
      bytes = 0;
      registration = watched.watch(this);
      failuresSeen = watched.failures();
      onChange();
    }

    @Override
    public EventExecutor executor() {
      return loop;
    }

    @Override
    public void onChange() {
      while (position < slice.length()) {
        Slice.Need need = slice.need(position, slice.length(), failuresSeen);
        if (need.kind() != Slice.Kind.PRESENT) {
          return; // claimed by the fetch: told again when more lands
        }
        int n = need.until() - position;
        ByteBuf piece = slice.read(position, n);
        bytes += piece.readableBytes();
        piece.release();
        position += n;
      }
    }

    long finish() {
      registration.cancel();
      if (position != slice.length()) {
        throw new IllegalStateException("a reader stopped at " + position + " of " + slice.length());
      }
      return bytes;
    }
  }
}
