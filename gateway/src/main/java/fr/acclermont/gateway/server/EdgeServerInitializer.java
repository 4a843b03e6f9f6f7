package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.LimitsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import org.jspecify.annotations.Nullable;

/**
 * The client-facing pipeline, in order. Typed on {@link Channel} rather than {@code SocketChannel}:
 * nothing here needs a socket, and the benchmarks install it on an {@code EmbeddedChannel}
 * ({@link EdgeServer#initClientChannel}).
 *
 * <p>No {@code FlushConsolidationHandler} (STYLE B6): with it, clients fed concurrently from one
 * in-flight object intermittently had a queued body buffer released before it was written
 * ("Failed to release a message ... (freed)", cut bodies) in CoalescingTest; without it the same
 * test passes repeatedly. Responders already flush once per batch of writes.
 *
 * <p>On the HTTPS listener the connection starts with an {@code SslHandler} and an
 * {@link EdgeProtocolNegotiationHandler}, which installs the pipeline of the protocol ALPN chose
 * once the handshake is done: {@link #configureHttp1} for {@code http/1.1}, {@link #configureHttp2}
 * for {@code h2}.
 */
final class EdgeServerInitializer extends ChannelInitializer<Channel> {

  /** Body pieces handed on as decoded, up to this size; the codec slices, it does not copy. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final GatewayServices services;
  private final ChannelGroup connections;
  private final @Nullable EdgeTls tls;
  private final @Nullable HttpsRedirect redirect;

  EdgeServerInitializer(GatewayServices services, ChannelGroup connections) {
    this(services, connections, null, null);
  }

  /**
   * The initializer of the HTTPS listener when {@code tls} is not null, of the plain one
   * otherwise; {@code redirect}, on the plain one, sends GET and HEAD to the HTTPS listener.
   */
  EdgeServerInitializer(GatewayServices services, ChannelGroup connections, @Nullable EdgeTls tls,
      @Nullable HttpsRedirect redirect) {
    this.services = requireNonNull(services, "services");
    this.connections = requireNonNull(connections, "connections");
    this.tls = tls;
    this.redirect = redirect;
  }

  @Override
  protected void initChannel(Channel ch) {
    connections.add(ch);
    if (tls != null) {
      ch.pipeline()
          .addLast("tls", tls.newHandler(ch.alloc()))
          .addLast("tls-negotiation", new EdgeProtocolNegotiationHandler(this, services.metrics()));
    } else {
      configureHttp1(ch.pipeline());
    }
  }

  /**
   * Adds the HTTP/1.1 handlers at the end of {@code pipeline}, after TLS if any, one per job:
   * {@code connections} counts the connection; {@code write-stall} closes it when the client takes
   * none of its response; {@code head-timeout} bounds the wait for a request head (raw bytes);
   * {@code chunk-extensions} and its {@code chunk-extensions-heads} observer cap a body's chunk
   * extensions; {@code codec} decodes requests and encodes responses ({@link EdgeHttp1Codec}, Netty's
   * codec sharing the header names browsers send); {@code sent-body-bytes}, with
   * the access log on, counts what the responses sent; {@code flow-control} hands on one request at a
   * time ({@link RequestFlowControl}); {@code guard} checks each head and refuses the bad ones
   * ({@link RequestGuardHandler}); {@code edge} answers the others ({@link EdgeHandler}).
   */
  void configureHttp1(ChannelPipeline pipeline) {
    RequestHeadTimeoutHandler headTimeout = headTimeout(services);
    ChunkExtensionLimit chunkExtensions = new ChunkExtensionLimit();
    SentBodyBytes sentBodyBytes = services.accessLog().enabled() ? new SentBodyBytes() : null;
    RequestFlowControl flowControl = new RequestFlowControl();
    pipeline
        .addLast("connections", new ConnectionCounter(services.metrics()))
        .addLast("write-stall", new WriteStallHandler(services.config().timeouts().idleWrite().toNanos()))
        .addLast("head-timeout", headTimeout)
        .addLast("chunk-extensions", chunkExtensions)
        .addLast("codec", new EdgeHttp1Codec(decoderConfig(services.config().limits())))
        .addLast("chunk-extensions-heads", chunkExtensions.observer());
    if (sentBodyBytes != null) {
      pipeline.addLast("sent-body-bytes", sentBodyBytes); // for the access log only
    }
    pipeline
        .addLast("flow-control", flowControl)
        .addLast("guard", new RequestGuardHandler(services.requestGuard(), services, headTimeout, flowControl,
            sentBodyBytes, redirect))
        .addLast("edge", new EdgeHandler(services, flowControl, headTimeout, sentBodyBytes));
  }

  /** The request-header and keep-alive timeouts of a new connection (or HTTP/2 stream). */
  static RequestHeadTimeoutHandler headTimeout(GatewayServices services) {
    return new RequestHeadTimeoutHandler(services.config().timeouts().requestHeader().toNanos(),
        services.config().timeouts().keepAlive().toNanos(), services.accessLog(), services.clock());
  }

  private static HttpDecoderConfig decoderConfig(LimitsConfig limits) {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.maxRequestLine())
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxChunkSize(MAX_CHUNK_BYTES)
        .setAllowDuplicateContentLengths(false)
        .setStrictLineParsing(true);
  }

  /** Adds the HTTP/2 handlers at the end of {@code pipeline}, after TLS: ALPN chose {@code h2}. */
  void configureHttp2(ChannelPipeline pipeline) {
    Http2Edge.configure(pipeline, services, services.config().server().http2());
  }
}
