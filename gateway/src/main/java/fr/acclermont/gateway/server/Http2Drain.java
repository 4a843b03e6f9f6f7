package fr.acclermont.gateway.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway stop on an HTTP/2 connection ({@link EdgeHandler#DRAIN}), or the client's GOAWAY: GOAWAY (no new streams), the
 * open streams go on to their end, then TLS {@code close_notify} and a bounded wait for the client
 * to close. The last of the response bytes may still be in flight or unread by the client when its
 * stream ends; closing at once, with the client's {@code WINDOW_UPDATE}s unread on our side, makes
 * the kernel send a reset that destroys them (curl: "recv failure"), as {@link RequestFlowControl}
 * avoids on HTTP/1.1 by lingering. Netty's own graceful close closes as soon as the last stream ends,
 * hence this handler, with the codec's close decoupled from GOAWAY. What is still open after the
 * gateway's grace is closed by {@link EdgeServer#stop}.
 *
 * <p>Last in the connection's pipeline, it also ends the connection's errors. The codec answers a
 * client's connection error (rapid reset, a header block over the limit, a protocol violation) with
 * GOAWAY and closes the connection itself: logged at DEBUG, one line, like a failed TLS handshake
 * (Netty's pipeline tail would log each at WARN with a stack trace, a log flood any client can
 * cause). A socket error (a client's reset) is logged at DEBUG too and closes the connection;
 * anything else at WARN.
 */
final class Http2Drain extends ChannelInboundHandlerAdapter {

  /** How long a client that was told everything is given to close its side. */
  private static final long LINGER_MILLIS = 2000;
  private static final Logger log = LoggerFactory.getLogger(Http2Drain.class);

  private boolean draining;

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt != EdgeHandler.DRAIN) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    drain(ctx);
  }

  /**
   * The client's GOAWAY: it opens no more streams, so the connection ends as on a stop once its
   * streams are done (nginx does the same; without it a client that keeps the socket open after its
   * GOAWAY held the connection for ever).
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Http2GoAwayFrame) {
      ReferenceCountUtil.release(msg);
      drain(ctx);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void drain(ChannelHandlerContext ctx) {
    if (draining) {
      return;
    }
    draining = true;
    ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    Http2Connection connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
    if (connection.numActiveStreams() == 0) {
      finish(ctx);
      return;
    }
    connection.addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        if (connection.numActiveStreams() == 0) {
          // After the codec is done with the stream's last frame.
          ctx.executor().execute(() -> finish(ctx));
        }
      }
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2Exception) {
      log.debug("HTTP/2 connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      return; // the codec has sent GOAWAY and closes the connection once it is written
    }
    if (cause instanceof IOException) {
      log.debug("HTTP/2 connection {} broken: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("HTTP/2 client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  private static void finish(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) {
      ctx.close();
      return;
    }
    tls.closeOutbound().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    ctx.executor().schedule(() -> {
      ctx.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }
}
