package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestFlowControl} on an {@link EmbeddedChannel} that does not auto-read: what it hands
 * on, in which order, when it reads, and that what it holds or drops is released. The first test
 * is why it exists: Netty's {@code FlowControlHandler} forgets a {@code read()} issued while one of
 * the messages of a read is handled, which is what the dispatch does when a response completes at
 * once.
 */
class RequestFlowControlTest {

  private static final String TWO_GETS_APART = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n";

  /** Counts the {@code read()} calls that reach the channel. */
  private static final class Reads extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void read(ChannelHandlerContext ctx) {
      count++;
      ctx.read();
    }
  }

  /**
   * A consumer that, like the dispatch answering memory hits, handles one message at a time and
   * asks for the next one from inside its own handling (the response completed at once).
   */
  private static final class ReadsFromItsHandling extends ChannelInboundHandlerAdapter {
    final List<String> seen = new ArrayList<>();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.read();
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      seen.add(msg instanceof HttpRequest request ? request.uri() : "end");
      ReferenceCountUtil.release(msg);
      ctx.read(); // the response is complete: the next message, please
    }
  }

  /** Hands on what it is told to take; records it in order. */
  private static final class Dispatch extends ChannelInboundHandlerAdapter implements RequestFlowControl.Consumer {
    boolean heads = true;
    boolean bodies;
    boolean wants = true;
    final List<Object> seen = new ArrayList<>();

    @Override
    public boolean accepts(HttpObject msg) {
      return msg instanceof HttpRequest ? heads : bodies;
    }

    @Override
    public boolean wantsInput() {
      return wants;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      seen.add(msg);
    }
  }

  private static EmbeddedChannel channel(ChannelHandler... handlers) {
    EmbeddedChannel channel = new EmbeddedChannel(false, false);
    channel.config().setAutoRead(false);
    channel.pipeline().addLast(handlers);
    EmbeddedEdge.register(channel);
    return channel;
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private static HttpRequest get(String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
  }

  @Test
  void nettyFlowControlHandler_forgetsAReadIssuedWhileHandlingAMessage_ourFlowControlDoesNot() {
    ReadsFromItsHandling behindNetty = new ReadsFromItsHandling();
    EmbeddedChannel netty = channel(new HttpServerCodec(), new FlowControlHandler(), behindNetty);
    netty.writeInbound(ascii(TWO_GETS_APART));
    netty.writeInbound(ascii("GET /b HTTP/1.1\r\nHost: t\r\n\r\n"));
    // Netty 4.2.18: the read() asked while the end of /a was handled is reset by the end of that
    // socket read (channelReadComplete), so /b stays in its queue until another read().
    assertThat(behindNetty.seen).containsExactly("/a", "end");
    netty.finishAndReleaseAll();

    ReadsFromItsHandling behindOurs = new ReadsFromItsHandling();
    RequestFlowControl flowControl = new RequestFlowControl();
    flowControl.consumer(new RequestFlowControl.Consumer() {
      @Override
      public boolean accepts(HttpObject msg) {
        return true;
      }

      @Override
      public boolean wantsInput() {
        return true;
      }
    });
    EmbeddedChannel ours = channel(new HttpServerCodec(), flowControl, behindOurs);
    ours.writeInbound(ascii(TWO_GETS_APART));
    ours.writeInbound(ascii("GET /b HTTP/1.1\r\nHost: t\r\n\r\n"));
    assertThat(behindOurs.seen).containsExactly("/a", "end", "/b", "end");
    ours.finishAndReleaseAll();
  }

  @Test
  void pipelinedHead_waitsUntilTheDispatchTakesIt_thenGoesOnInOrder_withoutAnotherRead() {
    Reads reads = new Reads();
    RequestFlowControl flowControl = new RequestFlowControl();
    Dispatch dispatch = new Dispatch();
    flowControl.consumer(dispatch);
    EmbeddedChannel channel = channel(reads, flowControl, dispatch);
    assertThat(reads.count).as("the first head is read for when the connection opens").isEqualTo(1);

    HttpRequest first = get("/first");
    HttpRequest second = get("/second");
    channel.pipeline().fireChannelRead(first);
    dispatch.heads = false; // answering /first
    dispatch.wants = false;
    channel.pipeline().fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.pipeline().fireChannelRead(second);
    channel.pipeline().fireChannelReadComplete();
    assertThat(dispatch.seen).containsExactly(first);
    assertThat(reads.count).as("nothing read while answering").isEqualTo(1);

    dispatch.bodies = true;
    dispatch.heads = true;
    dispatch.wants = true;
    flowControl.resume(); // /first answered
    assertThat(dispatch.seen).containsExactly(first, LastHttpContent.EMPTY_LAST_CONTENT, second);
    assertThat(reads.count).as("one read when nothing waits any more").isEqualTo(2);
    channel.finishAndReleaseAll();
  }

  @Test
  void bodyPiece_waitsForTheResponderToAskForIt_andARead_comesOnlyWhenNothingWaits() {
    Reads reads = new Reads();
    RequestFlowControl flowControl = new RequestFlowControl();
    Dispatch dispatch = new Dispatch();
    flowControl.consumer(dispatch);
    EmbeddedChannel channel = channel(reads, flowControl, dispatch);
    dispatch.heads = false;
    dispatch.wants = false;
    HttpContent one = new DefaultHttpContent(ascii("one"));
    HttpContent two = new DefaultLastHttpContent(ascii("two"));
    channel.pipeline().fireChannelRead(one);
    channel.pipeline().fireChannelRead(two);
    channel.pipeline().fireChannelReadComplete();
    assertThat(dispatch.seen).isEmpty();
    assertThat(reads.count).isEqualTo(1);

    dispatch.bodies = true;
    dispatch.wants = true;
    flowControl.resume();
    assertThat(dispatch.seen).containsExactly(one, two);
    assertThat(reads.count).as("read once what waited was handed on").isEqualTo(2);
    one.release();
    two.release();
    channel.finishAndReleaseAll();
  }

  @Test
  void stop_releasesWhatWaits_andDropsWhatComesAfter() {
    RequestFlowControl flowControl = new RequestFlowControl();
    Dispatch dispatch = new Dispatch();
    flowControl.consumer(dispatch);
    EmbeddedChannel channel = channel(flowControl, dispatch);
    dispatch.bodies = false;
    HttpContent waiting = new DefaultHttpContent(ascii("waiting"));
    channel.pipeline().fireChannelRead(waiting);
    assertThat(waiting.refCnt()).isEqualTo(1);

    flowControl.stop();
    assertThat(waiting.refCnt()).as("released on stop").isZero();
    HttpContent after = new DefaultHttpContent(ascii("after"));
    channel.pipeline().fireChannelRead(after);
    assertThat(after.refCnt()).as("dropped once stopped").isZero();
    assertThat(dispatch.seen).isEmpty();
    assertThat(flowControl.wantsInput()).isFalse();
    channel.finishAndReleaseAll();
  }

  @Test
  void lingerThenClose_readsAndDropsTheBody_closesAtItsEnd() {
    Reads reads = new Reads();
    RequestFlowControl flowControl = new RequestFlowControl();
    Dispatch dispatch = new Dispatch();
    flowControl.consumer(dispatch);
    EmbeddedChannel channel = channel(reads, flowControl, dispatch);
    channel.freezeTime();
    dispatch.bodies = false;
    HttpContent waiting = new DefaultHttpContent(ascii("waiting"));
    channel.pipeline().fireChannelRead(waiting);

    flowControl.lingerThenClose();
    assertThat(waiting.refCnt()).isZero();
    assertThat(reads.count).as("reads on to drop the rest").isEqualTo(2);
    HttpContent more = new DefaultHttpContent(ascii("more"));
    channel.pipeline().fireChannelRead(more);
    channel.pipeline().fireChannelReadComplete();
    assertThat(more.refCnt()).isZero();
    assertThat(reads.count).as("and on, while lingering").isEqualTo(3);
    assertThat(channel.isOpen()).isTrue();

    HttpContent last = new DefaultLastHttpContent(ascii("last"));
    channel.pipeline().fireChannelRead(last);
    assertThat(last.refCnt()).isZero();
    assertThat(channel.isOpen()).as("closed at the end of the body").isFalse();
    assertThat(dispatch.seen).isEmpty();
    channel.finishAndReleaseAll();
  }

  @Test
  void lingerThenClose_aBodyThatDoesNotEnd_closesAfterTheLingerTime() {
    RequestFlowControl flowControl = new RequestFlowControl();
    Dispatch dispatch = new Dispatch();
    flowControl.consumer(dispatch);
    EmbeddedChannel channel = channel(flowControl, dispatch);
    channel.freezeTime();

    flowControl.lingerThenClose();
    channel.advanceTimeBy(RequestFlowControl.LINGER_MILLIS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }

  @Test
  void channelInactive_releasesWhatWaits() {
    RequestFlowControl flowControl = new RequestFlowControl();
    Dispatch dispatch = new Dispatch();
    flowControl.consumer(dispatch);
    EmbeddedChannel channel = channel(flowControl, dispatch);
    dispatch.bodies = false;
    HttpContent waiting = new DefaultHttpContent(ascii("waiting"));
    channel.pipeline().fireChannelRead(waiting);

    channel.close();
    assertThat(waiting.refCnt()).isZero();
    assertThat(dispatch.seen).isEmpty();
    channel.finishAndReleaseAll();
  }
}
