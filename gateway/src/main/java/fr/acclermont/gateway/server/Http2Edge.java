package fr.acclermont.gateway.server;

import fr.acclermont.gateway.config.Http2Config;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 for the edge: installs, on a connection whose TLS handshake selected {@code h2}, Netty's
 * HTTP/2 codec with the {@code server.http2.*} limits and, per stream, the same object-level
 * pipeline as HTTP/1.1 ({@link RequestGuard}, {@link EdgeHandler} and the responders), one request
 * per stream. Caching, coalescing, ranges, {@code Cache-Status}, metrics and the access log thus hold
 * per stream unchanged.
 *
 * <p>Connection: {@code write-stall} (the socket's outbound bytes), {@code h2} (the frame codec:
 * SETTINGS, flow control, rapid-reset, CONTINUATION and control-frame flood limits), {@code h2-streams}
 * (one child channel per stream) and {@code h2-drain} (a gateway stop sends GOAWAY and lets the open
 * streams finish). Stream: {@code h2-http} (frames to and from {@code HttpObject}s; connection-specific
 * headers are dropped), {@code h2-adapt} ({@link Http2StreamAdapter}: the response frames and the end of the
 * stream), {@code head-timeout} and {@code edge}. A stream's child channel is writable while its
 * flow-control window is open, so the responders, which follow writability, hold at most one window
 * per stream whose client does not read, and the other streams go on.
 */
public final class Http2Edge {

  private static final Logger log = LoggerFactory.getLogger(Http2Edge.class);

  private Http2Edge() {
  }

  /**
   * Installs HTTP/2 on {@code pipeline}, after what is already there (the {@code SslHandler}).
   * Call it from the {@code h2} branch of the ALPN handler; the channel reads automatically from
   * then on (flow control bounds what each stream buffers).
   *
   * @param pipeline the pipeline of a client connection that negotiated {@code h2}
   * @param services the gateway's shared services
   * @param http2 the HTTP/2 limits
   */
  public static void configure(ChannelPipeline pipeline, GatewayServices services, Http2Config http2) {
    RequestGuard guard = new RequestGuard(services.config().limits(), services.router(),
        services.config().server().via());
    Http2Settings settings = Http2Settings.defaultSettings()
        .maxConcurrentStreams(http2.maxConcurrentStreams())
        .maxHeaderListSize(http2.maxHeaderListSize())
        .initialWindowSize(http2.initialWindowSize());
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
        .initialSettings(settings)
        .validateHeaders(true)
        .decoderEnforceMaxRstFramesPerWindow(http2.maxResetsPerWindow(), http2.resetWindowSeconds())
        .encoderEnforceMaxQueuedControlFrames(http2.maxQueuedControlFrames())
        .build();
    pipeline
        .addLast("write-stall", new WriteStallHandler(services.config().timeouts().idleWrite().toNanos()))
        .addLast("h2", codec)
        .addLast("h2-streams", new Http2MultiplexHandler(new StreamInitializer(services, guard)))
        .addLast("h2-drain", new Drain());
    pipeline.channel().config().setAutoRead(true);
    pipeline.channel().read();
  }

  /** One request per stream: the HTTP/1.1 object pipeline on the stream's child channel. */
  private static final class StreamInitializer extends ChannelInitializer<Channel> {
    private final GatewayServices services;
    private final RequestGuard guard;

    StreamInitializer(GatewayServices services, RequestGuard guard) {
      this.services = services;
      this.guard = guard;
    }

    @Override
    protected void initChannel(Channel ch) {
      services.metrics().http2StreamOpened();
      ch.config().setAutoRead(false); // EdgeHandler reads when it wants input, as on HTTP/1.1
      RequestHeadTimeoutHandler headTimeout = new RequestHeadTimeoutHandler(
          services.config().timeouts().requestHeader().toNanos(),
          services.config().timeouts().keepAlive().toNanos(), services.accessLog(), services.clock());
      SentBodyBytes sentBodyBytes = services.accessLog().enabled() ? new SentBodyBytes() : null;
      ch.pipeline()
          .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true))
          .addLast("h2-adapt", new Http2StreamAdapter())
          .addLast("head-timeout", headTimeout);
      if (sentBodyBytes != null) {
        ch.pipeline().addLast("sent-body-bytes", sentBodyBytes);
      }
      ch.pipeline().addLast("edge", new EdgeHandler(services, guard, headTimeout, sentBodyBytes, null));
    }
  }

  /**
   * A gateway stop: GOAWAY; the codec closes once the open streams are done. Also the end of the
   * connection's pipeline for exceptions. The codec answers a client's connection error (rapid
   * reset, a header block over the limit, a protocol violation) with GOAWAY, closes the connection
   * itself, and fires the error here: it is logged at DEBUG, one line, like a failed TLS handshake
   * (Netty's pipeline tail would log each at WARN with a stack trace, a log flood any client can
   * cause). Anything else is logged as {@link EdgeHandler} logs a failed HTTP/1.1 connection, and
   * the connection closed.
   */
  private static final class Drain extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof Http2Exception) {
        log.debug("HTTP/2 connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        return; // the codec has sent GOAWAY and closes the connection once it is written
      }
      log.warn("HTTP/2 client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == EdgeHandler.DRAIN) {
        ctx.channel().close();
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }
  }
}
