package fr.acclermont.benchmarks.server;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.DiskTier;
import fr.acclermont.gateway.cache.MemoryTier;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.http.Transport;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import fr.acclermont.gateway.server.AccessLog;
import fr.acclermont.gateway.server.EdgeServer;
import fr.acclermont.gateway.server.GatewayServices;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.io.FileUtils;
import org.jspecify.annotations.Nullable;

/**
 * A gateway without sockets for the request-path benchmarks: the real {@link GatewayServices}
 * (configuration, router, memory tier, optional disk tier, metrics, no access log) and the real
 * client pipeline ({@link EdgeServer#initClientChannel}) on an {@link EmbeddedChannel}, with one
 * object stored in advance. The origin is configured but never contacted: every request is a hit.
 *
 * <p>{@link #request} writes the raw bytes of a browser's GET into the channel, as a socket read
 * would hand them to the pipeline (a buffer from the channel's allocator), and consumes every
 * message the pipeline wrote: a {@link ByteBuf} is counted and released; a {@link FileRegion} (a
 * disk hit's zero-copy body) is transferred to {@link #sink} and released; then the channel's
 * queued tasks and due timers run, as an event loop runs them between reads. Not thread-safe: one
 * fixture per benchmark thread.
 */
final class EdgeFixture implements AutoCloseable {

  /** The path of the stored object, under the configured origin's prefix. */
  static final String PATH = "/books/maths-6e/assets/img/page-012.png";

  /** A GET as Firefox sends it for an image of a book page, keep-alive. */
  static final String BROWSER_GET = "GET " + PATH + " HTTP/1.1\r\n"
      + "Host: gateway.ecole.local:8080\r\n"
      + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
      + "Accept: image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5\r\n"
      + "Accept-Language: fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7\r\n"
      + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
      + "Referer: http://gateway.ecole.local:8080/books/maths-6e/index.html\r\n"
      + "Connection: keep-alive\r\n"
      + "Sec-Fetch-Dest: image\r\n"
      + "Sec-Fetch-Mode: no-cors\r\n"
      + "Sec-Fetch-Site: same-origin\r\n"
      + "Priority: u=5, i\r\n"
      + "\r\n";

  private static final String YAML = """
      school: bench
      server: { host: 127.0.0.1, port: 0 }
      admin: { host: 127.0.0.1, port: 0 }
      origins:
        - name: cloud
          url: http://127.0.0.1:9
          paths: ["/books/", "/blobs/"]
      cache:
        memory: { max-bytes: 512MiB, max-object-bytes: 64MiB }
        %s
      access-log: { path: "off" }
      """;

  private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
  private final byte[] requestBytes = BROWSER_GET.getBytes(StandardCharsets.US_ASCII);
  private final GatewayMetrics metrics = new GatewayMetrics("bench", "bench");
  private final MemoryTier memory;
  private final @Nullable DiskTier disk;
  private final @Nullable Path diskDir;
  private final StoredObject object;
  private final EmbeddedChannel channel;
  private final WritableByteChannel sink;

  /**
   * Stores an object of {@code size} bytes and opens a client connection.
   *
   * @param onDisk false: every slice complete in the memory tier (a memory hit); true: the object's
   *     metadata in memory, its slices only on a disk tier in a temporary directory, each read and
   *     verified once (so that a hit sends it from the file, zero-copy), none in memory (a disk hit)
   */
  EdgeFixture(int size, boolean onDisk) throws IOException {
    diskDir = onDisk ? Files.createTempDirectory("bench-disk-tier-") : null;
    String diskYaml = onDisk ? "disk: { path: \"" + diskDir + "\", max-bytes: 1GiB }" : "";
    GatewayConfig config = ConfigLoader.parse(YAML.formatted(diskYaml), Map.of());
    memory = new MemoryTier(config.cache().memory().maxBytes(), config.cache().memory().maxObjectBytes(),
        ForkJoinPool.commonPool(), () -> { });
    disk = onDisk ? DiskTier.open(diskDir, config.cache().disk().maxBytes(), () -> { }) : null;
    OriginClient originClient = new OriginClient(Transport.NIO, allocator, metrics);
    List<OriginRoute> routes = config.origins().stream().map(o -> new OriginRoute(o, originClient)).toList();
    GatewayServices services = new GatewayServices(config, new OriginRouter(routes), originClient,
        new Storage(memory, disk, allocator), metrics, AccessLog.off(), Clock.systemUTC());

    long now = System.currentTimeMillis();
    object = new StoredObject(new CacheKey("cloud", PATH), memory.nextVersion(), 200, originHeaders(size, now), size,
        (int) config.cache().sliceSize(), now, now, now, 0, 86_400, true);
    memory.storeObject(object);
    if (disk == null) {
      for (int i = 0; i < object.sliceCount(); i++) {
        Slice slice = memory.sliceOrCreate(object.slice(i), object.sliceLength(i), allocator);
        fill(slice);
        slice.release();
      }
    } else {
      storeOnDisk(disk);
    }

    sink = onDisk ? devNullOrCounter() : counter();
    channel = new EmbeddedChannel(false, false);
    EdgeServer.initClientChannel(channel, services, allocator);
    try {
      channel.register();
    } catch (Exception e) {
      throw new IllegalStateException("cannot register the benchmark channel", e);
    }
  }

  /** The headers an origin's 200 for a PNG carries, as stored (hop-by-hop fields removed). */
  private static HttpHeaders originHeaders(int size, long now) {
    return new DefaultHttpHeaders()
        .set(HttpHeaderNames.DATE, DateFormatter.format(new java.util.Date(now)))
        .set(HttpHeaderNames.SERVER, "nginx")
        .set(HttpHeaderNames.CONTENT_TYPE, "image/png")
        .set(HttpHeaderNames.CONTENT_LENGTH, size)
        .set(HttpHeaderNames.LAST_MODIFIED, "Tue, 03 Sep 2024 08:00:00 GMT")
        .set(HttpHeaderNames.ETAG, "\"66d6c2a0-" + Integer.toHexString(size) + "\"")
        .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=86400")
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
  }

  /** Writes pseudo-random bytes into every byte of an empty slice. */
  private static void fill(Slice slice) {
    byte[] bytes = new byte[slice.length()];
    new java.util.Random(slice.key().index()).nextBytes(bytes);
    Slice.Claim claim = slice.claimExactly(0, bytes.length);
    slice.write(0, Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    slice.endClaim(claim);
  }

  private void storeOnDisk(DiskTier tier) {
    awaitTrue(tier::loaded, "disk index loaded");
    tier.storeObject(object);
    for (int i = 0; i < object.sliceCount(); i++) {
      Slice slice = new Slice(object.slice(i), Unpooled.directBuffer(object.sliceLength(i)));
      fill(slice);
      tier.storeSlice(object, slice);
      slice.release();
    }
    awaitTrue(() -> tier.pendingWrites() == 0 && allOnDisk(tier), "slice files written");
    for (int i = 0; i < object.sliceCount(); i++) {
      // A first read checks the file's CRC32C; from then on a hit sends it with zero-copy.
      AtomicReference<Boolean> read = new AtomicReference<>();
      tier.readSlice(object, object.slice(i), allocator, data -> {
        read.set(data != null);
        ReferenceCountUtil.release(data);
      });
      awaitTrue(() -> read.get() != null, "slice file read");
      if (!read.get() || tier.verifiedFile(object.slice(i), object.sliceLength(i)) == null) {
        throw new IllegalStateException("slice file " + i + " was not verified");
      }
    }
  }

  private boolean allOnDisk(DiskTier tier) {
    for (int i = 0; i < object.sliceCount(); i++) {
      if (!tier.hasCompleteSlice(object.slice(i))) {
        return false;
      }
    }
    return true;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for: " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A sink for zero-copy bodies: {@code /dev/null} opened as a {@link FileChannel}, so that
   * {@code FileChannel.transferTo} takes the kernel's path ({@code sendfile(2)}) as on a socket,
   * without the bytes entering the JVM; a counting channel (which makes the JDK copy the bytes
   * through a temporary buffer) where there is no {@code /dev/null}.
   */
  private static WritableByteChannel devNullOrCounter() throws IOException {
    Path devNull = Path.of("/dev/null");
    return Files.isWritable(devNull) ? FileChannel.open(devNull, StandardOpenOption.WRITE) : counter();
  }

  private static WritableByteChannel counter() {
    return new WritableByteChannel() {
      @Override
      public int write(ByteBuffer src) {
        int n = src.remaining();
        src.position(src.limit());
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {
      }
    };
  }

  /** The stored object. */
  StoredObject object() {
    return object;
  }

  /** The memory tier. */
  MemoryTier memory() {
    return memory;
  }

  /** The client connection. */
  EmbeddedChannel channel() {
    return channel;
  }

  /**
   * One request on the kept-alive connection: the request's bytes in, every response byte out.
   * Returns the number of response bytes (head and body).
   */
  long request() throws IOException {
    ByteBuf in = allocator.buffer(requestBytes.length).writeBytes(requestBytes);
    channel.writeInbound(in);
    long bytes = 0;
    for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      bytes += consume(out);
    }
    // Queued tasks and due timers run between reads, as on an event loop: without this, the
    // timers a request schedules would pile up in the embedded loop for the whole run.
    channel.runPendingTasks();
    return bytes;
  }

  private long consume(Object message) throws IOException {
    try {
      if (message instanceof ByteBuf buf) {
        return buf.readableBytes();
      }
      if (message instanceof FileRegion region) {
        long done = 0;
        while (done < region.count()) {
          long n = region.transferTo(sink, done);
          if (n <= 0) {
            throw new IOException("transferTo made no progress at " + done + " of " + region.count());
          }
          done += n;
        }
        return done;
      }
      throw new IllegalStateException("unexpected outbound message " + message.getClass().getName());
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  /**
   * One request whose response is kept, decoded as text (the body as ISO-8859-1 characters), for
   * the checks of {@link #checkHit}.
   */
  String requestText() throws IOException {
    ByteBuf in = allocator.buffer(requestBytes.length).writeBytes(requestBytes);
    channel.writeInbound(in);
    StringBuilder text = new StringBuilder();
    for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      try {
        if (out instanceof ByteBuf buf) {
          text.append(buf.toString(StandardCharsets.ISO_8859_1));
        } else if (out instanceof FileRegion region) {
          Path copy = Files.createTempFile("bench-region-", ".bin");
          try (FileChannel file = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            for (long done = 0; done < region.count(); ) {
              done += region.transferTo(file, done);
            }
          }
          text.append(new String(Files.readAllBytes(copy), StandardCharsets.ISO_8859_1));
          Files.delete(copy);
        }
      } finally {
        ReferenceCountUtil.release(out);
      }
    }
    return text.toString();
  }

  /**
   * Checks that a request is answered as the benchmark claims: 200, {@code Cache-Status} a hit
   * (from disk when {@code detail} says so), the whole body, and the connection kept open.
   *
   * @throws IllegalStateException if not
   */
  void checkHit(@Nullable String detail) throws IOException {
    String response = requestText();
    int headEnd = response.indexOf("\r\n\r\n");
    String head = headEnd < 0 ? response : response.substring(0, headEnd);
    long body = headEnd < 0 ? -1 : response.length() - headEnd - 4;
    String expectedStatus = "cache-status: edge; hit; ttl=";
    if (!head.startsWith("HTTP/1.1 200 OK\r\n") || !head.contains(expectedStatus)
        || (detail != null && !head.contains("; detail=" + detail)) || body != object.length()
        || !channel.isOpen()) {
      throw new IllegalStateException("not the expected hit (" + body + " body bytes of " + object.length()
          + ", open " + channel.isOpen() + "):\n" + head);
    }
  }

  /** The memory tier's reference count of slice {@code index}, or 0 when it holds none. */
  int sliceRefCnt(int index) {
    Slice slice = memory.slice(object.slice(index));
    if (slice == null) {
      return 0;
    }
    int count = slice.refCnt() - 1;
    slice.release();
    return count;
  }

  @Override
  public void close() throws IOException {
    channel.finishAndReleaseAll();
    memory.close();
    if (disk != null) {
      disk.close();
    }
    sink.close();
    if (diskDir != null) {
      FileUtils.deleteQuietly(diskDir.toFile());
    }
  }
}
