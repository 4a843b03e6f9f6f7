package fr.acclermont.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The client connection's HTTP/1.1 codec: Netty's {@link HttpServerCodec} with an
 * {@link EdgeRequestDecoder} as its decoder, which shares the header names browsers send instead
 * of building them per request (issue #21). {@code HttpServerCodec} is final and makes its own
 * decoder, hence this class; it combines Netty's decoder and encoder exactly as
 * {@code HttpServerCodec} (Netty 4.2.18) does, and adds nothing:
 * <ul>
 *   <li>the method of each decoded request is queued, and each final response (not a 1xx) takes
 *       the oldest: the response to a {@code HEAD} is encoded without a body, and a 2xx answering
 *       a {@code CONNECT} without {@code Transfer-Encoding}; so pipelined requests are answered in
 *       order, as the gateway answers them;</li>
 *   <li>at most {@link #MAX_PIPELINE_DEPTH} requests may wait for their response: the next one
 *       fails the decoder ({@link IllegalStateException}), the rest of the input is dropped and
 *       the connection is closed once the response being sent is complete;</li>
 *   <li>a request with both {@code Transfer-Encoding: chunked} and {@code Content-Length} (Netty
 *       drops the length) closes the connection after its response (request smuggling).</li>
 * </ul>
 * Check this class against {@code HttpServerCodec} when upgrading Netty ({@code EdgeHttp1CodecTest}
 * fails on another version until then). Event loop only; one per connection.
 */
final class EdgeHttp1Codec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

  /** Requests that may wait for their response, as {@code HttpServerCodec}'s default. */
  static final int MAX_PIPELINE_DEPTH = 128;

  /** The methods of the requests decoded and not answered yet, oldest first. */
  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();
  /** Set: the connection is closed once the response being sent is complete. */
  private boolean closeAfterResponse;

  EdgeHttp1Codec(HttpDecoderConfig config) {
    init(new Decoder(config), new Encoder());
  }

  /** Queues the method of a request decoded; false when {@link #MAX_PIPELINE_DEPTH} are waiting already. */
  private boolean enqueueMethod(HttpMethod method) {
    if (methods.size() >= MAX_PIPELINE_DEPTH) {
      return false;
    }
    methods.add(method);
    return true;
  }

  /** The method of the oldest request not answered, or null (a response nobody asked for: not a HEAD). */
  private HttpMethod pollMethod() {
    return methods.poll();
  }

  private final class Decoder extends EdgeRequestDecoder {
    private boolean discard;

    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      if (discard) {
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      int oldSize = out.size();
      super.decode(ctx, buffer, out);
      int size = out.size();
      for (int i = oldSize; i < size; i++) {
        Object decoded = out.get(i);
        if (decoded instanceof HttpRequest request && !enqueueMethod(request.method())) {
          // Too many waiting: drop this and the rest, close once the response being sent is complete.
          closeAfterResponse = true;
          discard = true;
          ReferenceCountUtil.release(decoded);
          while (++i < size) {
            ReferenceCountUtil.release(out.get(i));
          }
          out.clear();
          throw new IllegalStateException("maxPipelineDepth exceeded: " + MAX_PIPELINE_DEPTH);
        }
      }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      super.handleTransferEncodingChunkedWithContentLength(message);
      closeAfterResponse = true;
    }
  }

  private final class Encoder extends HttpResponseEncoder {
    /** The method of the request the response being encoded answers. */
    private HttpMethod method;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      ChannelPromise written = promise;
      if (closeAfterResponse && msg instanceof LastHttpContent) {
        closeAfterResponse = false;
        written = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
      }
      super.write(ctx, msg, written);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
      if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
        // A 2xx to CONNECT switches to a tunnel: no Transfer-Encoding (RFC 9110, 9.3.6)
        msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        return;
      }
      super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        // A 1xx does not answer the request: the final response that follows does.
        return super.isContentAlwaysEmpty(msg);
      }
      method = pollMethod();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }
  }
}
