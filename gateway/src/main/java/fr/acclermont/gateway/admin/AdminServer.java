package fr.acclermont.gateway.admin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.AdminConfig;
import fr.acclermont.gateway.http.Transport;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.prefetch.Prefetcher;
import fr.acclermont.gateway.reload.ReloadOutcome;
import fr.acclermont.gateway.server.Purges;
import fr.acclermont.gateway.status.StatusBoard;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The management listener ({@code admin.host:admin.port}, loopback by default), with the bearer
 * token of {@code admin.token-file} if any: metrics, probes, purges and prefetch.
 */
public final class AdminServer implements AutoCloseable {

  private static final int MAX_REQUEST_BYTES = 8 * 1024;
  /** A connection silent this long is closed (not while a purge it asked for runs). */
  static final int READ_TIMEOUT_SECONDS = 30;
  /** The read timeout's name in the pipeline, which a purge takes out while it runs. */
  static final String READ_TIMEOUT = "read-timeout";

  private final Channel listener;

  private AdminServer(Channel listener) {
    this.listener = listener;
  }

  /**
   * Binds the management port.
   *
   * @param config the address, the port and the token
   * @param ready answers {@code /readyz}
   * @param purges does {@code POST /purge}
   * @param prefetcher answers {@code GET /prefetch} and does {@code POST /prefetch}
   * @param reload does {@code POST /reload}
   * @throws IllegalStateException if the address cannot be bound
   */
  public static AdminServer start(AdminConfig config, Transport transport, EventLoopGroup group,
      GatewayMetrics metrics, Supplier<Readiness> ready, Purges purges, Prefetcher prefetcher, StatusBoard status,
      Supplier<CompletableFuture<ReloadOutcome>> reload) {
    requireNonNull(metrics, "metrics");
    requireNonNull(ready, "ready");
    requireNonNull(purges, "purges");
    requireNonNull(prefetcher, "prefetcher");
    AdminAccess access = new AdminAccess(config);
    String host = config.host();
    int port = config.port();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(READ_TIMEOUT, new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(new AdminHandler(metrics, ready, access, purges, prefetcher, status, reload));
          }
        });
    try {
      return new AdminServer(bootstrap.bind(host, port).syncUninterruptibly().channel());
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen on admin " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
  }
}
