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
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Netty's {@code HttpServerCodec}, whose request decoder takes the usual header names from
 * {@link RequestHeaderNames} rather than copying each into a new string per request (a browser's
 * GET sends six or more that Netty does not know: about 60 B each). {@code HttpServerCodec} is final
 * and makes its decoder itself, so this does what it does around the decoder and the encoder, as of
 * Netty 4.2.18:
 *
 * <ul>
 *   <li>the method of each request decoded and not yet answered is queued, so that the answer to a
 *       HEAD is encoded without a body (and a 2xx to a CONNECT without {@code Transfer-Encoding});
 *       a 1xx answer does not take its request's turn;
 *   <li>at most {@value #MAX_PIPELINE_DEPTH} requests wait for their answers: a client pipelining
 *       more has the rest of its input dropped and the connection closed after the answer in
 *       progress (the decoder throws, as Netty's does);
 *   <li>a request with both {@code Transfer-Encoding} and {@code Content-Length} closes the
 *       connection after its answer (request smuggling).
 * </ul>
 */
final class EdgeHttpCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

  /** Netty's default ({@code HttpServerCodec.DEFAULT_MAX_PIPELINE_DEPTH}). */
  static final int MAX_PIPELINE_DEPTH = 128;

  /** The methods of the requests decoded and not answered yet, oldest first. */
  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();
  private boolean mustCloseAfterResponse;

  EdgeHttpCodec(HttpDecoderConfig config) {
    init(new Decoder(config), new Encoder());
  }

  private final class Decoder extends HttpRequestDecoder {

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
      int before = out.size();
      super.decode(ctx, buffer, out);
      int after = out.size();
      for (int i = before; i < after; i++) {
        if (out.get(i) instanceof HttpRequest request) {
          if (methods.size() >= MAX_PIPELINE_DEPTH) {
            mustCloseAfterResponse = true;
            discard = true;
            for (int j = i; j < after; j++) {
              ReferenceCountUtil.release(out.get(j));
            }
            out.clear();
            throw new IllegalStateException("maxPipelineDepth exceeded: " + MAX_PIPELINE_DEPTH);
          }
          methods.add(request.method());
        }
      }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      super.handleTransferEncodingChunkedWithContentLength(message);
      mustCloseAfterResponse = true;
    }

    @Override
    protected AsciiString splitHeaderName(byte[] bytes, int start, int length) {
      AsciiString known = RequestHeaderNames.find(bytes, start, length);
      return known != null ? known : super.splitHeaderName(bytes, start, length);
    }
  }

  private final class Encoder extends HttpResponseEncoder {

    /** The method of the request the response being encoded answers; null when unknown. */
    private @Nullable HttpMethod method;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      ChannelPromise p = promise;
      if (mustCloseAfterResponse && msg instanceof LastHttpContent) {
        mustCloseAfterResponse = false;
        p = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
      }
      super.write(ctx, msg, p);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        return super.isContentAlwaysEmpty(msg); // an interim answer: the request still waits for its own
      }
      method = methods.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
      if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
        msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING); // a tunnel: no framing (RFC 9110 9.3.6)
        return;
      }
      super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }
  }
}
