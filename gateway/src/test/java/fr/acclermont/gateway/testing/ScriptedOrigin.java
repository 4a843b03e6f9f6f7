package fr.acclermont.gateway.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * An origin whose answers a test scripts, for the rules of HTTP caching: each path answers what
 * its current {@link Answer} says, and every request is recorded. It ignores {@code Range} (an
 * origin without range support: the gateway stores what it sends whole), evaluates
 * {@code If-None-Match} against the answer's {@code ETag} (304 on a match), and dates its answers
 * with the test's clock, so that ages are computed as the gateway sees them. Real sockets, on
 * 127.0.0.1 and an ephemeral port (or a given one, to come back after {@link #close}). Over TLS
 * when started with a server {@link SslContext}: it then counts the handshakes that succeeded and
 * records the SNI host name each one carried.
 */
public final class ScriptedOrigin implements AutoCloseable {

  /**
   * What a path answers.
   *
   * @param status the status
   * @param body the body
   * @param headers header name and value pairs
   */
  public record Answer(int status, String body, String... headers) {
  }

  /** One request as the origin received it. */
  public record Received(String method, String path, Map<String, List<String>> headers) {

    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final Channel server;
  private final EventLoopGroup group;
  private final Clock clock;
  private final Map<String, Function<Received, Answer>> answers = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final @Nullable SslContext tls;
  private final AtomicInteger handshakes = new AtomicInteger();
  private final List<String> serverNames = new CopyOnWriteArrayList<>();

  private ScriptedOrigin(int port, Clock clock, @Nullable SslContext tls) throws InterruptedException {
    this.clock = clock;
    this.tls = tls;
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              SslHandler ssl = tls.newHandler(ch.alloc());
              ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                  serverNames.add(serverName(ssl.engine().getSession()));
                  handshakes.incrementAndGet();
                }
              });
              ch.pipeline().addLast(ssl);
            }
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new SimpleChannelInboundHandler<FullHttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                    ctx.writeAndFlush(answer(request));
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close(); // a client refusing the certificate, or gone: nothing to answer
                  }
                });
          }
        })
        .bind(InetAddress.getLoopbackAddress(), port).sync().channel();
  }

  /** Starts on {@code port} (0: an ephemeral one) of 127.0.0.1. */
  public static ScriptedOrigin start(int port, Clock clock) throws InterruptedException {
    return new ScriptedOrigin(port, clock, null);
  }

  /** Starts over TLS on {@code port} (0: an ephemeral one) of 127.0.0.1, with a server context. */
  public static ScriptedOrigin startTls(int port, Clock clock, SslContext tls) throws InterruptedException {
    return new ScriptedOrigin(port, clock, tls);
  }

  /** The TLS handshakes that succeeded so far (0 over plain HTTP). */
  public int handshakes() {
    return handshakes.get();
  }

  /** The SNI host name of each successful handshake, in order; {@code ""} for a handshake without. */
  public List<String> serverNames() {
    return List.copyOf(serverNames);
  }

  private static String serverName(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return "";
  }

  /** Sets what {@code path} answers from now on. */
  public ScriptedOrigin answer(String path, Answer answer) {
    answers.put(path, request -> answer);
    return this;
  }

  /** Sets how {@code path} answers from now on, request by request. */
  public ScriptedOrigin answer(String path, Function<Received, Answer> answer) {
    answers.put(path, answer);
    return this;
  }

  /** Every request received, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests received for {@code path}, in order. */
  public List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The port. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The base URI: {@code http://127.0.0.1:port}, or {@code https://} over TLS. */
  public URI baseUri() {
    return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port());
  }

  private FullHttpResponse answer(FullHttpRequest request) {
    Map<String, List<String>> headers = new java.util.HashMap<>();
    request.headers().names().forEach(name -> headers.put(name, request.headers().getAll(name)));
    Received one = new Received(request.method().name(), request.uri(), headers);
    received.add(one);
    Answer answer = answers.getOrDefault(request.uri(), r -> new Answer(404, "no such path")).apply(one);
    HttpHeaders out = new DefaultHttpHeaders();
    out.set(HttpHeaderNames.DATE, DateFormatter.format(new Date(clock.millis())));
    for (int i = 0; i + 1 < answer.headers().length; i += 2) {
      out.add(answer.headers()[i], answer.headers()[i + 1]);
    }
    String etag = out.get(HttpHeaderNames.ETAG);
    String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    if (etag != null && etag.equals(ifNoneMatch) && answer.status() == 200) {
      return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER,
          out, new DefaultHttpHeaders());
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    boolean head = request.method().equals(HttpMethod.HEAD);
    out.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), out, new DefaultHttpHeaders());
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
