package fr.acclermont.gateway.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * An origin that negotiates content codings as a publisher's CDN does: each path serves its body
 * gzip-encoded to requests whose {@code Accept-Encoding} accepts gzip and as is to the others, with
 * an entity tag per coding, {@code Cache-Control: max-age=600}, and {@code Vary: Accept-Encoding}
 * unless told to leave it out (an origin that forgets it). Single ranges address the bytes of the
 * coding sent (RFC 9110 14.1.1). It can hold every answer until {@link #release()}, so a test can
 * gather a whole class on one cold object before the first answer arrives. Every request is
 * recorded. Real sockets, on 127.0.0.1 and an ephemeral port.
 */
public final class NegotiatingOrigin implements AutoCloseable {

  /** One request as received: its target, {@code Accept-Encoding} and {@code Range} (null when absent). */
  public record Received(String target, String acceptEncoding, String range) {
  }

  private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final Channel server;
  private final EventLoopGroup group;
  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final Map<String, byte[]> gzipped = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Runnable> held = new ArrayList<>(); // guarded by itself
  private volatile boolean holding;
  private volatile boolean sendVary = true;

  private NegotiatingOrigin() throws InterruptedException {
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                new SimpleChannelInboundHandler<FullHttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                    received.add(new Received(request.uri(), request.headers().get(HttpHeaderNames.ACCEPT_ENCODING),
                        request.headers().get(HttpHeaderNames.RANGE)));
                    FullHttpResponse response = answer(request);
                    answerWhenReleased(() -> ctx.writeAndFlush(response));
                  }
                });
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
  }

  /** Starts on an ephemeral port of 127.0.0.1. */
  public static NegotiatingOrigin start() throws InterruptedException {
    return new NegotiatingOrigin();
  }

  /** Serves {@code body} at {@code path} (its gzip coding computed once, here). */
  public NegotiatingOrigin serve(String path, byte[] body) {
    bodies.put(path, body.clone());
    gzipped.put(path, gzip(body));
    return this;
  }

  /** Whether answers carry {@code Vary: Accept-Encoding} (by default they do). */
  public NegotiatingOrigin sendVary(boolean send) {
    this.sendVary = send;
    return this;
  }

  /** Holds every answer from now until {@link #release()}. */
  public void hold() {
    holding = true;
  }

  /** Sends the answers held and stops holding. */
  public void release() {
    List<Runnable> answers;
    synchronized (held) {
      holding = false;
      answers = new ArrayList<>(held);
      held.clear();
    }
    answers.forEach(Runnable::run);
  }

  /** The bytes {@code path} serves in {@code coding} ({@code gzip} or {@code identity}). */
  public byte[] bytes(String path, String coding) {
    return (coding.equals("gzip") ? gzipped : bodies).get(path).clone();
  }

  /** The requests received for {@code path}, in order. */
  public List<Received> received(String path) {
    return received.stream().filter(r -> r.target().equals(path)).toList();
  }

  /** The base URI. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
  }

  private void answerWhenReleased(Runnable answer) {
    synchronized (held) {
      if (holding) {
        held.add(answer);
        return;
      }
    }
    answer.run();
  }

  private FullHttpResponse answer(FullHttpRequest request) {
    byte[] identity = bodies.get(request.uri());
    if (identity == null) {
      FullHttpResponse missing = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
      missing.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      return missing;
    }
    boolean gzip = acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
    byte[] body = gzip ? gzipped.get(request.uri()) : identity;
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders headers = response.headers()
        .set(HttpHeaderNames.CACHE_CONTROL, "max-age=600")
        .set(HttpHeaderNames.ETAG, gzip ? "\"v1-gzip\"" : "\"v1\"")
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    if (gzip) {
      headers.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
    }
    if (sendVary) {
      headers.set(HttpHeaderNames.VARY, "Accept-Encoding");
    }
    int first = 0;
    int last = body.length - 1;
    Matcher range = SINGLE_RANGE.matcher(String.valueOf(request.headers().get(HttpHeaderNames.RANGE)));
    if (range.matches() && Long.parseLong(range.group(1)) < body.length) {
      first = Integer.parseInt(range.group(1));
      last = range.group(2).isEmpty() ? last : (int) Math.min(last, Long.parseLong(range.group(2)));
      response.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
      headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + body.length);
    }
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, last - first + 1);
    response.content().writeBytes(Arrays.copyOfRange(body, first, last + 1));
    return response;
  }

  private static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] pieces = part.trim().split(";");
      if (pieces[0].trim().equals("gzip")) {
        return pieces.length == 1 || !pieces[1].trim().matches("q=0(\\.0*)?");
      }
    }
    return false;
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    release();
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

}
