package fr.acclermont.gateway.demo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The demo origin's pipeline (the same {@link DemoOriginInitializer} as {@link DemoOrigin#start})
 * on an {@link EmbeddedChannel} whose clock is frozen: time moves only when a test calls
 * {@link #advance}, so what the origin delays (latency, {@code delay=}, {@code stall-for=}) is
 * asserted exactly, as "nothing before this instant, everything at it", with no wall clock.
 */
final class EmbeddedDemoOrigin implements AutoCloseable {

  private final EncodedContent encodedContent;
  private final EmbeddedChannel channel;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  EmbeddedDemoOrigin(DemoOriginOptions options) {
    Catalog catalog = Catalog.generate(options.seed());
    encodedContent = new EncodedContent(options.profile());
    DemoOriginInitializer initializer = new DemoOriginInitializer(options,
        new ResourceResolver(catalog, options.profile()), new OriginStats(),
        catalog.toJson().getBytes(StandardCharsets.UTF_8),
        new DefaultChannelGroup("embedded-demo-origin", GlobalEventExecutor.INSTANCE), null, encodedContent);
    channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addLast(initializer);
  }

  /** Sends {@code GET pathAndQuery} and runs what is due now (not what is scheduled later). */
  void get(String pathAndQuery) {
    String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: origin\r\n\r\n";
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    runDue();
  }

  /** Moves the channel's clock forward by {@code duration} and runs every task now due. */
  void advance(Duration duration) {
    channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
    runDue();
  }

  /** Returns every byte the origin has written so far, head and body. */
  byte[] received() {
    drain();
    return received.toByteArray();
  }

  /** Whether the connection is still open. */
  boolean isOpen() {
    return channel.isActive();
  }

  /** Returns what the origin has written so far, split into head and body. */
  Response response() {
    byte[] bytes = received();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete head in " + bytes.length + " bytes: " + text);
    }
    String head = text.substring(0, end);
    return new Response(Integer.parseInt(head.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3)), head,
        Arrays.copyOfRange(bytes, end + 4, bytes.length));
  }

  private void runDue() {
    channel.runPendingTasks();
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
    drain();
  }

  private void drain() {
    for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
      ByteBuf buffer = (ByteBuf) message;
      try {
        buffer.readBytes(received, buffer.readableBytes());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        buffer.release();
      }
    }
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
    encodedContent.close();
  }

  /** A response as written: its status, its head's text and the body bytes written so far. */
  record Response(int status, String head, byte[] body) {}
}
