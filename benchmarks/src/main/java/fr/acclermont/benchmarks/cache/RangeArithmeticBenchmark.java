package fr.acclermont.benchmarks.cache;

import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.ContentRange;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * From a client's {@code Range} to the slices that serve it, as {@code SliceResponder} does for
 * every GET of a stored object.
 * <ul>
 *   <li>{@code baseline}: the next header, to subtract.
 *   <li>{@code byteRange}: {@code ByteRange.of(header, length)}: the header parsed against the
 *       object's length (whole, partial or unsatisfiable).
 *   <li>{@code rangeToSlices}: then the walk over the slices the range covers: for each, its
 *       index, the offset within it, the bytes to take ({@code StoredObject.sliceLength}) and its
 *       {@code SliceKey}.
 *   <li>{@code contentRangeHeader}: the {@code Content-Range} value of a 206
 *       ({@code ByteRange.contentRange}).
 *   <li>{@code parseContentRange}: parsing an origin's {@code Content-Range}
 *       ({@code ContentRange.parse}), once per slice fetched.
 * </ul>
 *
 * <p>Workload: a 48 MiB PDF in 1 MiB slices (the default {@code cache.slice-size}) and the ranges
 * clients send it, taken in turn: none (the whole object, 48 slices), pdf.js chunks of 64 KiB
 * inside a slice and across a boundary, an open range from the middle ({@code bytes=N-}, 24
 * slices), a suffix ({@code bytes=-65536}), a video player's {@code bytes=0-}, a probe's one-slice
 * range. The object's size matters here only through the number of slices a range covers, which
 * the workload varies, so it is not a parameter.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RangeArithmeticBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
    "-DGATEWAY_LOG_LEVEL=WARN"})
public class RangeArithmeticBenchmark {

  private static final long LENGTH = 48L << 20;
  private static final int SLICE_BYTES = 1 << 20;
  private static final String[] HEADERS = {
    null,
    "bytes=131072-196607",
    "bytes=1015808-1081343",
    "bytes=25165824-",
    "bytes=-65536",
    "bytes=0-",
    "bytes=0-1048575",
    "bytes=7340032-7405567",
  };
  private static final String[] CONTENT_RANGES = {
    "bytes 0-1048575/50331648", "bytes 131072-196607/50331648", "bytes 49283072-50331647/50331648",
    "bytes 1048576-2097151/50331648",
  };
  private static final int MASK = 7;

  private StoredObject object;
  private final ByteRange[] ranges = new ByteRange[HEADERS.length];
  private int cursor;

  @Setup(Level.Trial)
  public void setUp() {
    object = new StoredObject(new CacheKey("cloud", "/books/maths-6e/book.pdf"), 1, 200,
        new DefaultHttpHeaders().set("content-type", "application/pdf"), LENGTH, SLICE_BYTES, 0, 0, 0, 0, 86_400,
        true);
    for (int i = 0; i < HEADERS.length; i++) {
      ranges[i] = ByteRange.of(HEADERS[i], LENGTH);
    }
  }

  @Benchmark
  public String baseline() {
    return HEADERS[cursor++ & MASK];
  }

  @Benchmark
  public ByteRange byteRange() {
    return ByteRange.of(HEADERS[cursor++ & MASK], LENGTH);
  }

  @Benchmark
  public long rangeToSlices() {
    ByteRange range = ByteRange.of(HEADERS[cursor++ & MASK], LENGTH);
    boolean partial = range.outcome() == ByteRange.Outcome.PARTIAL;
    long position = partial ? range.first() : 0;
    long end = range.outcome() == ByteRange.Outcome.UNSATISFIABLE ? 0 : partial ? range.last() + 1 : LENGTH;
    long check = 0;
    while (position < end) {
      int index = (int) (position / object.sliceSize());
      long base = (long) index * object.sliceSize();
      int offset = (int) (position - base);
      int n = (int) Math.min(end - base, object.sliceLength(index)) - offset;
      check += object.slice(index).hashCode() + offset;
      position += n;
    }
    return check;
  }

  @Benchmark
  public String contentRangeHeader() {
    return ranges[cursor++ & MASK].contentRange(LENGTH);
  }

  @Benchmark
  public ContentRange parseContentRange() {
    return ContentRange.parse(CONTENT_RANGES[cursor++ & 3]);
  }
}
