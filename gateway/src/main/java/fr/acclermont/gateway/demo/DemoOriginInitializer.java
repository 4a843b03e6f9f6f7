package fr.acclermont.gateway.demo;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Builds each connection's pipeline. Shared by every connection: holds only shared state.
 *
 * <p>Order, from the socket: what {@link DemoOriginOptions#pipelineCustomizer()} adds (the load
 * test's uplink shaper), then TLS when the profile has it, then HTTP. The shaper thus meters the
 * bytes that cross the wire, TLS records and handshakes included, as a school's uplink would.
 */
final class DemoOriginInitializer extends ChannelInitializer<Channel> {

  /** Requests carry no meaningful body; a bigger one is refused with 413. */
  /** Uploads to {@code /blobs/} (the sink that tests of unsafe methods use) are at most this large. */
  private static final int MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

  private final DemoOriginOptions options;
  private final ResourceResolver resolver;
  private final OriginStats stats;
  private final byte[] catalogJson;
  private final ChannelGroup connections;
  private final HookMemory hookMemory = new HookMemory();
  private final SslContext tls;
  private final EncodedContent encodedContent;

  /**
   * @param tls the server context, or {@code null} for plain HTTP
   * @param encodedContent the representations of compressible resources
   */
  DemoOriginInitializer(
      DemoOriginOptions options, ResourceResolver resolver, OriginStats stats, byte[] catalogJson,
      ChannelGroup connections, SslContext tls, EncodedContent encodedContent) {
    this.connections = connections;
    this.tls = tls;
    this.encodedContent = encodedContent;
    this.options = options;
    this.resolver = resolver;
    this.stats = stats;
    this.catalogJson = catalogJson;
  }

  @Override
  protected void initChannel(Channel channel) {
    connections.add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    options.pipelineCustomizer().accept(pipeline);
    BodyBytesCounter bodyBytes = new BodyBytesCounter(stats);
    if (tls != null) {
      // With AUTO_READ off, SslHandler (Netty 4.2) asks for reads itself until the handshake is
      // done; the origin's handler asks for the first request's bytes in channelActive as before.
      pipeline.addLast("demo-tls", tls.newHandler(channel.alloc()));
    }
    pipeline.addLast("demo-http-codec", new HttpServerCodec());
    pipeline.addLast("demo-aggregator", new HttpObjectAggregator(MAX_REQUEST_BODY_BYTES));
    // With AUTO_READ off, one read() may still decode several pipelined requests: the handler
    // queues them and answers one at a time, in order. (No FlowControlHandler: it loses a read()
    // issued from inside its own dispatch, which hung keep-alive connections.)
    pipeline.addLast("demo-body-bytes", bodyBytes);
    pipeline.addLast("demo-chunked-writer", new ChunkedWriteHandler());
    pipeline.addLast("demo-origin",
        new DemoOriginHandler(options, resolver, stats, catalogJson, bodyBytes, hookMemory, encodedContent));
  }
}
