package fr.acclermont.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Between an HTTP/2 stream and the HTTP/1.1 object pipeline that serves it ({@link EdgeHandler} and
 * the responders), on the stream's child channel, after Netty's {@code Http2StreamFrameToHttpObjectCodec}
 * (which decodes the request frames).
 *
 * <p>Inbound: the request of a stream is its only one ({@code Connection: close}: the stream's channel
 * closes after the response, the connection stays), without Netty's {@code x-http2-*} extension
 * headers (they are not the client's and must not reach the origin).
 *
 * <p>Outbound: the response is framed here rather than by the codec, for two reasons. Netty's
 * {@code HttpConversionUtil.toHttp2Headers} loops forever on the {@code ReadOnlyHttpHeaders} of a
 * stored head (its value iterator for {@code Connection} never advances, Netty 4.2.18), and the
 * responders write bare {@code ByteBuf} body pieces, which the codec does not frame. Connection-specific
 * fields (RFC 9113 8.2.2) are dropped; names are lower-cased. A {@code FileRegion} cannot be framed
 * and fails loudly: zero-copy is off on stream channels ({@link ClientRequest}).
 */
final class Http2StreamAdapter extends ChannelDuplexHandler {

  /** RFC 9113 8.2.2: fields a response over HTTP/2 must not carry. */
  private static final Set<AsciiString> CONNECTION_SPECIFIC = Set.of(HttpHeaderNames.CONNECTION,
      HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.UPGRADE, HttpHeaderNames.TE);

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
        request.headers().remove(name.text());
      }
      request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      writeResponse(ctx, response, promise);
    } else if (msg instanceof HttpContent content) {
      writeContent(ctx, content, promise);
    } else if (msg instanceof ByteBuf buf) {
      ctx.write(new DefaultHttp2DataFrame(buf, false), promise);
    } else if (msg instanceof FileRegion) {
      ReferenceCountUtil.release(msg);
      IllegalStateException e = new IllegalStateException("FileRegion written on an HTTP/2 stream");
      promise.setFailure(e);
      ctx.fireExceptionCaught(e);
    } else {
      ctx.write(msg, promise);
    }
  }

  private static void writeResponse(ChannelHandlerContext ctx, HttpResponse response, ChannelPromise promise) {
    Http2Headers headers = headers(response);
    boolean interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (!(response instanceof FullHttpMessage full)) {
      ctx.write(new DefaultHttp2HeadersFrame(headers, false), promise);
      return;
    }
    if (interim || (!full.content().isReadable() && full.trailingHeaders().isEmpty())) {
      full.release();
      ctx.write(new DefaultHttp2HeadersFrame(headers, !interim), promise);
      return;
    }
    PromiseCombiner all = new PromiseCombiner(ctx.executor());
    all.add(ctx.write(new DefaultHttp2HeadersFrame(headers, false)));
    all.add(writeContent(ctx, full, ctx.newPromise()));
    all.finish(promise);
  }

  /** Frames {@code content} (its buffer moves into the frame), ending the stream if it is the last. */
  private static ChannelPromise writeContent(ChannelHandlerContext ctx, HttpContent content, ChannelPromise promise) {
    if (!(content instanceof LastHttpContent last)) {
      ctx.write(new DefaultHttp2DataFrame(content.content(), false), promise);
      return promise;
    }
    if (last.trailingHeaders().isEmpty()) {
      ctx.write(new DefaultHttp2DataFrame(last.content(), true), promise);
      return promise;
    }
    PromiseCombiner all = new PromiseCombiner(ctx.executor());
    all.add(ctx.write(new DefaultHttp2DataFrame(last.content(), false)));
    all.add(ctx.write(new DefaultHttp2HeadersFrame(fields(last.trailingHeaders(), new DefaultHttp2Headers(false)), true)));
    all.finish(promise);
    return promise;
  }

  private static Http2Headers headers(HttpResponse response) {
    Http2Headers out = new DefaultHttp2Headers(false, response.headers().size() + 1);
    out.status(response.status().codeAsText());
    return fields(response.headers(), out);
  }

  private static Http2Headers fields(HttpHeaders in, Http2Headers out) {
    Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = it.next();
      AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
      if (!CONNECTION_SPECIFIC.contains(name)) {
        out.add(name, field.getValue());
      }
    }
    return out;
  }
}
