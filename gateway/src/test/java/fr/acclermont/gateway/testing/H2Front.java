package fr.acclermont.gateway.testing;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.Http2Config;
import fr.acclermont.gateway.server.EdgeServer;
import fr.acclermont.gateway.server.GatewayServices;
import fr.acclermont.gateway.server.Http2Edge;
import fr.acclermont.gateway.server.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A test-only TLS listener in front of a running gateway's services, standing in for the TLS
 * listener of the edge: TLS with the test CA's loopback certificate, ALPN {@code h2} then
 * {@code http/1.1}; {@code h2} gets {@link Http2Edge#configure}, {@code http/1.1} today's pipeline
 * ({@link EdgeServer#initClientChannel}). It runs on the gateway's own event loops, as the origin
 * client needs.
 */
public final class H2Front implements AutoCloseable {

  private final Channel server;

  private H2Front(GatewayServices services, EventLoopGroup group, Http2Config http2) throws Exception {
    SslContext tls = SslContextBuilder
        .forServer(TestPki.LOOPBACK.getKeyPair().getPrivate(), TestPki.LOOPBACK.getCertificatePath())
        .sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
        .build();
    this.server = new ServerBootstrap().group(group).channel(Transport.best().serverChannel())
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                  @Override
                  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                      Http2Edge.configure(ctx.pipeline(), services, http2);
                    } else {
                      EdgeServer.initClientChannel(ctx.channel(), services, ctx.alloc());
                      ctx.fireChannelActive(); // the HTTP/1.1 pipeline starts on channelActive
                    }
                  }
                });
            ch.config().setAutoRead(true); // through the handshake; each protocol's pipeline then reads as it wants
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
  }

  /** Starts a front for {@code gateway}'s services with the given HTTP/2 limits. */
  public static H2Front start(Gateway gateway, Http2Config http2) throws Exception {
    Field group = Gateway.class.getDeclaredField("group"); // the origin client runs on the client's loop
    group.setAccessible(true);
    return new H2Front(services(gateway), (EventLoopGroup) group.get(gateway), http2);
  }

  /** The gateway's services, read from its edge (test-only: the gateway does not expose them). */
  public static GatewayServices services(Gateway gateway) throws ReflectiveOperationException {
    Field edge = Gateway.class.getDeclaredField("edge");
    edge.setAccessible(true);
    Field services = EdgeServer.class.getDeclaredField("services");
    services.setAccessible(true);
    return (GatewayServices) services.get(edge.get(gateway));
  }

  /** The port listened on, on 127.0.0.1. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }
}
