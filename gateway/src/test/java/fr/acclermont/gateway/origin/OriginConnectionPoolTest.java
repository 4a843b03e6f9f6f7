package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.config.OriginConfig;
import fr.acclermont.gateway.origin.OriginConnectionPool.Lease;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pooled keep-alive connections to an origin, over real sockets: a released connection is handed
 * out again, one the origin closes while idle leaves the pool without waiting for a request, and
 * the pool keeps at most {@code max-idle-connections} per event loop.
 */
class OriginConnectionPoolTest {

  private static final int MAX_IDLE = 2;
  /** The most any step may take: never reached but on a broken pool, whatever the machine's load. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private ServerSocket origin;
  private OriginConnectionPool pool;

  @BeforeEach
  void start() throws IOException {
    origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!origin.isClosed()) {
        try {
          accepted.add(origin.accept());
        } catch (IOException closed) {
          return;
        }
      }
    }, "pool-test-origin");
    acceptor.setDaemon(true);
    acceptor.start();
    OriginConfig config = new OriginConfig("cloud", URI.create("http://127.0.0.1:" + origin.getLocalPort()),
        List.of("/"), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), MAX_IDLE, 16);
    OriginRoute route = new OriginRoute(config, (r, l) -> new Bootstrap().group(l).channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false) // as OriginClient's: the pool reads while idle
        .handler(new ChannelInboundHandlerAdapter())
        .connect(r.host(), r.port()));
    pool = route.origin().pool();
  }

  @AfterEach
  void stop() throws IOException {
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    origin.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  @Test
  void acquire_afterRelease_sameConnectionReused() throws Exception {
    Lease first = acquire();
    release(first.channel());
    Lease second = acquire();

    assertThat(first.reused()).isFalse();
    assertThat(second.reused()).isTrue();
    assertThat(second.channel()).isSameAs(first.channel());
    // A connect completes before the origin's acceptor thread has taken the connection: wait for it.
    await().atMost(WAIT).until(() -> !accepted.isEmpty());
    assertThat(accepted).hasSize(1);
  }

  @Test
  void idleConnection_closedByOrigin_leavesThePoolAtOnce() throws Exception {
    Lease first = acquire();
    release(first.channel());
    assertThat(idle()).isEqualTo(1);
    await().atMost(WAIT).until(() -> accepted.size() == 1);

    accepted.get(0).close(); // the origin's keep-alive timeout, say

    await().atMost(WAIT).until(() -> idle() == 0);
    Lease next = acquire();
    assertThat(next.reused()).isFalse();
    assertThat(next.channel()).isNotSameAs(first.channel());
  }

  @Test
  void release_beyondMaxIdle_extraConnectionClosed() throws Exception {
    List<Lease> leases = List.of(acquire(), acquire(), acquire()); // none idle: three connections
    for (Lease lease : leases) {
      release(lease.channel());
    }

    assertThat(idle()).isEqualTo(MAX_IDLE);
    assertThat(leases.get(2).channel().closeFuture().await(WAIT.toMillis())).isTrue();
    assertThat(leases.subList(0, MAX_IDLE)).allSatisfy(lease -> assertThat(lease.channel().isActive()).isTrue());
  }

  @Test
  void release_closedConnection_notPooled() throws Exception {
    Lease lease = acquire();
    lease.channel().close().sync();
    release(lease.channel());

    assertThat(idle()).isZero();
    assertThat(acquire().reused()).isFalse();
  }

  @Test
  void acquireNew_idleConnectionLeftInThePool_newOneOpened() throws Exception {
    Lease first = acquire();
    release(first.channel());

    Lease retry = acquire(OriginConnectionPool.ConnectionChoice.NEW); // the retry after a reused one failed

    assertThat(retry.reused()).isFalse();
    assertThat(retry.channel()).isNotSameAs(first.channel());
    assertThat(idle()).isEqualTo(1);
  }

  private Lease acquire() throws Exception {
    return acquire(OriginConnectionPool.ConnectionChoice.ANY);
  }

  private Lease acquire(OriginConnectionPool.ConnectionChoice choice) throws Exception {
    return loop.submit(() -> pool.acquire(loop, choice))
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void release(Channel channel) throws Exception {
    loop.submit(() -> pool.release(channel)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private int idle() throws Exception {
    return loop.submit(() -> pool.idleCount(loop)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
