package fr.acclermont.gateway.demo;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;

/** Builds each connection's pipeline. Shared by every connection: holds only shared state. */
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

  DemoOriginInitializer(
      DemoOriginOptions options, ResourceResolver resolver, OriginStats stats, byte[] catalogJson,
      ChannelGroup connections) {
    this.connections = connections;
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
    pipeline.addLast("demo-http-codec", new HttpServerCodec());
    pipeline.addLast("demo-aggregator", new HttpObjectAggregator(MAX_REQUEST_BODY_BYTES));
    // With AUTO_READ off, one read() may still decode several pipelined requests: the handler
    // queues them and answers one at a time, in order. (No FlowControlHandler: it loses a read()
    // issued from inside its own dispatch, which hung keep-alive connections.)
    pipeline.addLast("demo-body-bytes", bodyBytes);
    pipeline.addLast("demo-chunked-writer", new ChunkedWriteHandler());
    pipeline.addLast("demo-origin",
        new DemoOriginHandler(options, resolver, stats, catalogJson, bodyBytes, hookMemory));
  }
}
