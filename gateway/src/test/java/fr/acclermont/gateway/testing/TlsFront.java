package fr.acclermont.gateway.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS front for a plain-HTTP test origin: it accepts TLS on an ephemeral port of 127.0.0.1 and
 * relays the decrypted bytes both ways to {@code 127.0.0.1:backendPort}, one backend connection per
 * TLS connection. It puts HTTPS in front of the demo origin (whose package the tests leave alone)
 * without changing what the origin sees, so its stats still count every request and byte.
 *
 * <p>Reads follow writes on both sides (STYLE B1), so a slow side slows the other. A side that
 * closes closes the other once its queued bytes are written: an origin reset mid-body reaches the
 * gateway as a connection cut mid-body, as it would without the front. Counts the handshakes that
 * succeeded.
 */
public final class TlsFront implements AutoCloseable {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final AtomicInteger handshakes = new AtomicInteger();
  private final int backendPort;
  private final Channel server;

  private TlsFront(SslContext tls, int backendPort) throws InterruptedException {
    this.backendPort = backendPort;
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            SslHandler ssl = tls.newHandler(ch.alloc());
            ssl.handshakeFuture().addListener(f -> {
              if (f.isSuccess()) {
                handshakes.incrementAndGet();
              }
            });
            ch.pipeline().addLast(ssl, new Frontend());
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
  }

  /** Starts a front presenting {@code tls}'s certificate, relaying to {@code backendPort}. */
  public static TlsFront start(SslContext tls, int backendPort) throws InterruptedException {
    return new TlsFront(tls, backendPort);
  }

  /** The port to connect to over TLS. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** {@code https://127.0.0.1:port}. */
  public URI baseUri() {
    return URI.create("https://127.0.0.1:" + port());
  }

  /** The TLS handshakes that succeeded so far. */
  public int handshakes() {
    return handshakes.get();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Writes {@code msg} on to {@code target}, and reads the next once it is written: the slower side sets the pace. */
  private static void relay(ChannelHandlerContext ctx, Object msg, Channel target) {
    target.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        f.channel().close();
      }
    });
  }

  private static void closeOnFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The TLS side: decrypted bytes go to the backend; the next read once they are written. */
  private final class Frontend extends ChannelInboundHandlerAdapter {
    private Channel backend;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel front = ctx.channel();
      new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class)
          .option(ChannelOption.AUTO_READ, false)
          .handler(new Backend(front))
          .connect(InetAddress.getLoopbackAddress(), backendPort)
          .addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
              front.close();
              return;
            }
            backend = f.channel();
            front.read(); // the handshake's first read, then the request bytes
            backend.read();
          });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      relay(ctx, msg, backend);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (backend != null) {
        closeOnFlush(backend);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOnFlush(ctx.channel());
    }
  }

  /** The origin side: its bytes go back over TLS; the next read once they are written. */
  private static final class Backend extends ChannelInboundHandlerAdapter {
    private final Channel front;

    Backend(Channel front) {
      this.front = front;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      relay(ctx, msg, front);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closeOnFlush(front);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOnFlush(ctx.channel());
    }
  }
}
