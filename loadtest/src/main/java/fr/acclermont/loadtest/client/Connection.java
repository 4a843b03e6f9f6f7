package fr.acclermont.loadtest.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive HTTP/1.1 connection of a {@link ConnectionPool}: sends one request at a time (no
 * pipelining, as browsers) and checks its response as it streams through a {@link ResponseCheck}.
 * To an https target it speaks TLS ({@link ClientTls}); a failed handshake is a
 * {@link ErrorKind#CONNECT} error. Requests carry the {@code Accept-Encoding} a browser sends for
 * their kind ({@link RequestKind#acceptEncoding()}).
 *
 * <p>Every message is released once read ({@link SimpleChannelInboundHandler}, R1); bodies are
 * counted and verified, never kept. Any failure closes the connection, so no later request reads
 * the rest of a broken response. Confined to the pool's event loop; one instance per channel.
 */
final class Connection extends SimpleChannelInboundHandler<HttpObject> {

  private static final Logger logger = LoggerFactory.getLogger(Connection.class);

  private static final String USER_AGENT = "textbook-loadtest";
  /** Big enough for any real response head; a larger one is a malformed response. */
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  /** Fewer, larger content messages than Netty's 8 KiB default: less per-message work per MiB. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final ConnectionPool pool;
  private final Target target;
  private final @Nullable SslContext tls;
  private final long timeoutNanos;
  private @Nullable Channel channel;
  private @Nullable Exchange exchange;
  private @Nullable ScheduledFuture<?> timeout;
  /** A 1xx interim response is being skipped; the final response follows it. */
  private boolean interim;

  Connection(ConnectionPool pool, Target target, @Nullable SslContext tls, long timeoutNanos) {
    this.pool = pool;
    this.target = target;
    this.tls = tls;
    this.timeoutNanos = timeoutNanos;
  }

  /** Returns the initializer that puts TLS (https), the codec and this handler in the channel's pipeline. */
  ChannelInitializer<Channel> initializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        HttpDecoderConfig config = new HttpDecoderConfig()
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setMaxChunkSize(MAX_CHUNK_BYTES);
        if (tls != null) {
          ch.pipeline().addLast("tls", ClientTls.newHandler(tls, ch, target));
        }
        ch.pipeline().addLast("http", new HttpClientCodec(config, false, false));
        ch.pipeline().addLast("loadtest-connection", Connection.this);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** Writes the request of {@code next} and starts its timeout. The connection must be idle. */
  void send(Exchange next) {
    Channel ch = channel;
    if (ch == null || exchange != null) {
      throw new IllegalStateException("connection not idle: " + ch);
    }
    exchange = next;
    next.sentNanos = System.nanoTime();
    timeout = ch.eventLoop().schedule(() -> fail(next, ErrorKind.TIMEOUT,
        "no complete response within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"),
        timeoutNanos, TimeUnit.NANOSECONDS);
    ch.writeAndFlush(request(next.spec)).addListener(future -> {
      if (!future.isSuccess()) {
        fail(next, ErrorKind.RESET, "cannot write the request: " + future.cause());
      }
    });
  }

  /** Fails the request in flight, if any, with {@code kind}, and closes the connection. */
  void abort(ErrorKind kind, String detail) {
    Exchange current = exchange;
    if (current != null) {
      fail(current, kind, detail);
    } else if (channel != null) {
      channel.close();
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    Exchange current = exchange;
    if (current == null) {
      // Bytes nobody asked for: whatever follows on this connection cannot be trusted.
      logger.debug("{} unsolicited {}; closing", ctx.channel(), msg.getClass().getSimpleName());
      ctx.close();
      return;
    }
    if (msg.decoderResult().isFailure()) {
      fail(current, current.check.onUndecodable(msg.decoderResult().cause()));
      return;
    }
    ResponseCheck.Failure failure = null;
    if (msg instanceof HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        // 103 Early Hints and the like: the final response follows; the codec ends this one
        // with an empty LastHttpContent.
        interim = true;
        return;
      }
      current.firstByteNanos = System.nanoTime();
      failure = current.check.onHead(response);
    }
    if (interim) {
      interim = !(msg instanceof LastHttpContent);
      return;
    }
    if (failure == null && msg instanceof HttpContent content) {
      failure = current.check.onContent(content.content());
    }
    if (failure == null && msg instanceof LastHttpContent) {
      failure = current.check.onEnd();
      if (failure == null) {
        succeed(current);
        return;
      }
    }
    if (failure != null) {
      fail(current, failure);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange current = exchange;
    if (current != null) {
      fail(current, current.check.onClose());
    } else {
      pool.lost(this);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange current = exchange;
    if (current != null) {
      // A TLS failure (untrusted certificate, wrong host) means the target cannot be reached.
      // Any other I/O error is a reset whatever the phase; nothing else reaches here in practice
      // (the codec reports malformed responses through decoder results).
      boolean tlsFailure = cause instanceof SSLException || cause.getCause() instanceof SSLException;
      fail(current, tlsFailure ? ErrorKind.CONNECT : ErrorKind.RESET, cause.toString());
    } else {
      logger.debug("{} error while idle: {}", ctx.channel(), cause.toString());
      ctx.close();
    }
  }

  private void succeed(Exchange done) {
    cancelTimeout();
    exchange = null;
    done.check.release();
    Channel ch = channel;
    boolean reusable = done.check.keepAlive() && ch != null && ch.isActive();
    if (!reusable && ch != null) {
      ch.close();
    }
    pool.finished(this, done.result(null, ""), done, reusable);
  }

  private void fail(Exchange failed, ResponseCheck.Failure failure) {
    fail(failed, failure.kind(), failure.detail());
  }

  private void fail(Exchange failed, ErrorKind kind, String detail) {
    if (exchange != failed) {
      return; // already ended (e.g. a timeout racing the last byte)
    }
    cancelTimeout();
    exchange = null;
    failed.check.release();
    if (channel != null) {
      channel.close();
    }
    pool.finished(this, failed.result(kind, detail), failed, false);
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  private FullHttpRequest request(RequestSpec spec) {
    FullHttpRequest request = new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, HttpMethod.GET, target.requestTarget(spec.target()), Unpooled.EMPTY_BUFFER);
    HttpHeaders headers = request.headers();
    headers.set(HttpHeaderNames.HOST, target.hostHeader());
    headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    headers.set(HttpHeaderNames.ACCEPT, "*/*");
    headers.set(HttpHeaderNames.ACCEPT_ENCODING, spec.kind().acceptEncoding());
    if (spec.range() != null) {
      headers.set(HttpHeaderNames.RANGE, spec.range().header());
    }
    return request;
  }
}
