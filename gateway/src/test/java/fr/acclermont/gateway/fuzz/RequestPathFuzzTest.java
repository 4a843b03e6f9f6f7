package fr.acclermont.gateway.fuzz;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.server.EdgeServer;
import fr.acclermont.gateway.server.GatewayServices;
import fr.acclermont.gateway.testing.SocketlessServices;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Fuzz target 1 (issue #14): raw client bytes through the real client pipeline
 * ({@link EdgeServer#initClientChannel}: head timeout, {@code HttpServerCodec} with the gateway's
 * decoder settings, the flow control, the guard, {@code EdgeHandler}, the responders) on an {@link EmbeddedChannel},
 * with one object stored in the memory tier (hits, ranges, conditionals). The configured origin is
 * never reached: a request that needs it fails to connect from the embedded event loop (a 502), so
 * the origin side is not exercised here.
 *
 * <p>Inputs: a structure-aware pipeline of one to four HTTP/1.1 requests (methods, targets in
 * origin- and absolute-form, header fields with CR, LF, NUL, obs-fold, duplicated and conflicting
 * framing fields, chunked bodies with odd sizes and extensions, cache and range fields), then
 * mutated byte-wise, and written in one or several reads.
 *
 * <p>Properties: no exception reaches the tail of the pipeline ({@code checkException}) nor the
 * gateway's own {@code exceptionCaught} (its WARN line); every buffer the connection allocated is
 * released once it is closed; no more final responses than decoded request heads (plus one 408);
 * a connection left open has answered every head it decoded.
 */
class RequestPathFuzzTest {

  static final String PATH = "/books/maths-6e/assets/img/page-012.png";
  private static final int SIZE = 3000;
  private static final String YAML = """
      school: fuzz
      server: { host: 127.0.0.1, port: 0 }
      admin: { host: 127.0.0.1, port: 0 }
      origins:
        - name: cloud
          url: http://127.0.0.1:9
          paths: ["/books/", "/blobs/"]
          connect-timeout: 1s
      cache:
        memory: { max-bytes: 64MiB, max-object-bytes: 8MiB }
      limits: { max-request-line: 1KiB, max-header-bytes: 2KiB, max-headers: 20, max-body-bytes: 4KiB }
      access-log: { path: "off" }
      """;

  private static final GatewayServices SERVICES = services();
  private static final List<String> ESCAPES = new ArrayList<>();

  static {
    Logger edge = (Logger) LoggerFactory.getLogger("fr.acclermont.gateway.server.EdgeHandler");
    AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("client connection") && event.getFormattedMessage().contains("failed")) {
          synchronized (ESCAPES) {
            ESCAPES.add(event.getFormattedMessage());
          }
        }
      }
    };
    appender.start();
    edge.addAppender(appender);
  }

  @FuzzTest(maxDuration = "10m")
  void requestBytes(FuzzedDataProvider data) {
    boolean pristine = data.consumeBoolean() && data.consumeBoolean();
    byte[] bytes = RequestGenerator.pipeline(data, !pristine);
    int reads = data.consumeInt(1, 4);
    run(bytes, reads, data);
  }

  static void run(byte[] bytes, int reads, FuzzedDataProvider data) {
    synchronized (ESCAPES) {
      ESCAPES.clear();
    }
    Tracking allocator = new Tracking();
    EmbeddedChannel channel = new EmbeddedChannel(false, false);
    EdgeServer.initClientChannel(channel, SERVICES, allocator);
    Spy spy = new Spy();
    String input = printable(bytes);
    try {
      channel.register();
      channel.pipeline().addAfter("codec", "fuzz-spy", spy);
      int at = 0;
      for (int r = 0; r < reads && at < bytes.length && channel.isOpen(); r++) {
        int len = r == reads - 1 ? bytes.length - at : data.consumeInt(0, bytes.length - at);
        ByteBuf read = allocator.buffer(Math.max(1, len));
        read.writeBytes(bytes, at, len);
        at += len;
        channel.writeInbound(read);
        channel.runPendingTasks();
        drain(channel);
      }
      // Every timer due: the head timeout (408), the keep-alive timeout, the linger before a close.
      for (int i = 0; i < 4; i++) {
        channel.advanceTimeBy(70, TimeUnit.SECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
        drain(channel);
      }
      channel.checkException();
      boolean open = channel.isOpen();
      if (spy.finalResponses > spy.heads + 1) {
        throw new AssertionError(spy.finalResponses + " responses to " + spy.heads + " request heads");
      }
      if (open && spy.finalResponses != spy.heads) {
        throw new AssertionError("connection left open with " + spy.heads + " request heads decoded and "
            + spy.finalResponses + " answered");
      }
      synchronized (ESCAPES) {
        if (!ESCAPES.isEmpty()) {
          throw new AssertionError("exception reached the gateway's exceptionCaught: " + ESCAPES);
        }
      }
      channel.close();
      channel.runPendingTasks();
      drain(channel);
      channel.checkException();
      allocator.assertAllReleased();
    } catch (Throwable t) {
      throw new AssertionError("input (" + bytes.length + " bytes, " + reads + " reads): " + input + "\n" + t, t);
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static void drain(EmbeddedChannel channel) {
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ReferenceCountUtil.release(out);
    }
  }

  static String printable(byte[] bytes) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : bytes) {
      int c = b & 0xff;
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
      }
    }
    return out.append('"').toString();
  }

  /** Counts the request heads the codec decoded and the final responses the gateway wrote. */
  static final class Spy extends ChannelDuplexHandler {
    int heads;
    int finalResponses;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        heads++;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response && response.status().code() >= 200) {
        finalResponses++;
      }
      ctx.write(msg, promise);
    }
  }

  /** An unpooled allocator remembering every buffer, so that a closed connection can be checked. */
  static final class Tracking extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    Tracking() {
      super(true);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf b = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
      allocated.add(b);
      return b;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
      allocated.add(b);
      return b;
    }

    void assertAllReleased() {
      long live = allocated.stream().filter(b -> b.refCnt() > 0).count();
      if (live > 0) {
        throw new AssertionError(live + " of " + allocated.size() + " buffers of the connection not released after its close");
      }
    }
  }

  private static GatewayServices services() {
    GatewayServices services = SocketlessServices.of(YAML, "fuzz");
    Storage storage = services.storage();
    long now = System.currentTimeMillis();
    HttpHeaders headers = new DefaultHttpHeaders()
        .set(HttpHeaderNames.DATE, DateFormatter.format(new Date(now)))
        .set(HttpHeaderNames.CONTENT_TYPE, "image/png")
        .set(HttpHeaderNames.CONTENT_LENGTH, SIZE)
        .set(HttpHeaderNames.LAST_MODIFIED, "Tue, 03 Sep 2024 08:00:00 GMT")
        .set(HttpHeaderNames.ETAG, "\"v1\"")
        .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=864000")
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    StoredObject object = new StoredObject(new CacheKey("cloud", PATH), storage.nextVersion(), 200, headers, SIZE,
        (int) services.config().cache().sliceSize(), now, now, now, 0, 864_000, true);
    storage.publish(object);
    for (int i = 0; i < object.sliceCount(); i++) {
      Slice slice = storage.sliceOrCreate(object, i);
      byte[] body = new byte[object.sliceLength(i)];
      java.util.Arrays.fill(body, (byte) 'x');
      Slice.Claim claim = slice.claimExactly(0, body.length);
      slice.write(0, Unpooled.wrappedBuffer(body), 0, body.length);
      slice.endClaim(claim);
      slice.release();
    }
    return services;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
