package fr.acclermont.gateway.server;

import fr.acclermont.gateway.config.Http2Config;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * HTTP/2 for the edge: installs, on a connection whose TLS handshake selected {@code h2}, Netty's
 * HTTP/2 codec with the {@code server.http2.*} limits and, per stream, the same object-level
 * pipeline as HTTP/1.1 ({@link RequestGuardHandler}, {@link EdgeHandler} and the responders), one request
 * per stream. Caching, coalescing, ranges, {@code Cache-Status}, metrics and the access log thus hold
 * per stream unchanged.
 *
 * <p>Connection: {@code connections} ({@link ConnectionCounter}: one connection, however many
 * streams), {@code write-stall} (the socket's outbound bytes), {@code h2} (the frame codec: SETTINGS,
 * flow control, rapid-reset, CONTINUATION and control-frame flood limits), {@code h2-streams} (one
 * child channel per stream) and {@code h2-drain} ({@link Http2Drain}: a gateway stop sends GOAWAY
 * and lets the open streams finish). Stream: {@code write-stall} ({@link StreamWriteStallHandler}), {@code h2-http}
 * (request frames to {@code HttpObject}s), {@code h2-adapt} ({@link Http2StreamAdapter}: the
 * response frames and the end of the stream), {@code head-timeout}, {@code flow-control}, {@code guard}
 * and {@code edge}, as on HTTP/1.1. A stream's
 * child channel is writable while its flow-control window is open, so the responders, which follow
 * writability, hold at most about one window per stream whose client does not read, and the other
 * streams go on.
 */
public final class Http2Edge {

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
    RequestGuard guard = services.requestGuard(); // a connection keeps the limits it started with
    Http2Settings settings = Http2Settings.defaultSettings()
        .maxConcurrentStreams(http2.maxConcurrentStreams())
        .maxHeaderListSize(http2.maxHeaderListSize())
        .initialWindowSize(http2.initialWindowSize());
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
        .initialSettings(settings)
        .validateHeaders(true)
        .decoderEnforceMaxRstFramesPerWindow(http2.maxResetsPerWindow(), http2.resetWindowSeconds())
        .encoderEnforceMaxQueuedControlFrames(http2.maxQueuedControlFrames())
        // A stop's GOAWAY and wait are Http2Drain's; a close (after the grace) closes at once.
        .decoupleCloseAndGoAway(true)
        .build();
    pipeline
        .addLast("connections", new ConnectionCounter(services.metrics()))
        .addLast("write-stall", new WriteStallHandler(services.config().timeouts().idleWrite().toNanos()))
        .addLast("h2", codec)
        .addLast("h2-streams", new Http2MultiplexHandler(new StreamInitializer(services, guard)))
        .addLast("h2-drain", new Http2Drain());
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
      ch.config().setAutoRead(false); // RequestFlowControl reads when the dispatch wants input, as on HTTP/1.1
      RequestHeadTimeoutHandler headTimeout = EdgeServerInitializer.headTimeout(services);
      SentBodyBytes sentBodyBytes = services.accessLog().enabled() ? new SentBodyBytes() : null;
      RequestFlowControl flowControl = new RequestFlowControl();
      ch.pipeline()
          .addLast("write-stall", new StreamWriteStallHandler(services.config().timeouts().idleWrite().toNanos()))
          .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true))
          .addLast("h2-adapt", new Http2StreamAdapter())
          .addLast("head-timeout", headTimeout);
      if (sentBodyBytes != null) {
        ch.pipeline().addLast("sent-body-bytes", sentBodyBytes);
      }
      ch.pipeline()
          .addLast("flow-control", flowControl)
          .addLast("guard", new RequestGuardHandler(guard, services, headTimeout, flowControl, sentBodyBytes, null))
          .addLast("edge", new EdgeHandler(services, flowControl, headTimeout, sentBodyBytes));
    }
  }
}
