package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.TestGateways;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backpressure the other way: a request body streams to the origin at the origin's pace. An origin
 * that takes the connection but reads nothing stops the client's upload once the buffers between
 * them are full, and the gateway holds no more than a few MiB of it meanwhile.
 */
class UploadBackpressureTest {

  private static final long BODY_BYTES = 128L << 20;

  private final List<Socket> originConnections = new CopyOnWriteArrayList<>();
  private ServerSocket origin;
  private Gateway gateway;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = new ServerSocket();
    origin.setReceiveBufferSize(64 * 1024);
    origin.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(() -> {
      while (!origin.isClosed()) {
        try {
          originConnections.add(origin.accept()); // and never read from it
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A gateway in front of the silent origin, allowing {@code idleTimeout} without upload progress. */
  private void startGateway(String idleTimeout) {
    gateway = TestGateways.start(URI.create("http://127.0.0.1:" + origin.getLocalPort()), """
        limits: { max-body-bytes: 256MiB }
        origins:
          - name: cloud
            url: http://127.0.0.1:%d
            paths: ["/blobs/"]
            response-timeout: 2s
            idle-timeout: %s
        """.formatted(origin.getLocalPort(), idleTimeout), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
    for (Socket connection : originConnections) {
      connection.close();
    }
  }

  @Test
  void post_originReadsNothing_clientUploadPausedAndGatewayHoldsOnlyAFewMiB() throws Exception {
    startGateway("60s"); // longer than the measurement: the upload is paused, not cut
    ByteBufAllocatorMetricProvider allocator = (ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT;
    long baseline = allocator.metric().usedDirectMemory();
    AtomicLong sent = new AtomicLong();
    try (Socket client = new Socket()) {
      client.setSendBufferSize(64 * 1024);
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
      Thread uploader = new Thread(() -> upload(client, sent), "uploader");
      uploader.start();

      // Once every buffer on the way is full, the client cannot send more: its count stops moving.
      // The origin has the connection by then (a count that stopped only because the uploader was
      // not scheduled could come earlier; the assertions below hold at any moment of the upload).
      long[] last = {-1};
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
        long now = sent.get();
        boolean settled = now == last[0] && now > 0 && originConnections.size() == 1;
        last[0] = now;
        return settled;
      });
      long held = allocator.metric().usedDirectMemory() - baseline;

      assertThat(sent.get()).as("body bytes the client could send").isLessThan(BODY_BYTES / 4);
      assertThat(held).as("direct memory held while the origin reads nothing").isLessThan(8L << 20);
      assertThat(originConnections).hasSize(1);
      // The origin goes away: the gateway fails the exchange and cuts the client, whose blocked
      // write then fails. (A client leaving first is noticed only at the idle timeout: its FIN
      // waits behind the body bytes the gateway is not reading.)
      originConnections.get(0).close();
      uploader.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(uploader.isAlive()).as("the uploader, cut by the gateway").isFalse();
    }
  }

  @Test
  void post_originStopsReading_exchangeCutAfterIdleTimeout() throws Exception {
    startGateway("1s");
    AtomicLong sent = new AtomicLong();
    try (Socket client = new Socket()) {
      client.setSendBufferSize(64 * 1024);
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
      Thread uploader = new Thread(() -> upload(client, sent), "uploader");
      uploader.start();

      // Nobody closes anything: the gateway notices that the body no longer moves and gives up.
      await().atMost(Duration.ofSeconds(60)).until(() -> originRequests("timeout") == 1);
      assertThat(gateway.router().routes()).as("one stalled upload does not mark the origin down")
          .allSatisfy(route -> assertThat(route.origin().health().up()).isTrue());
      uploader.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(uploader.isAlive()).as("the uploader, cut by the gateway").isFalse();
      assertThat(originConnections).hasSize(1);
      assertThat(drainToEnd(originConnections.get(0))).as("origin connection closed by the gateway").isTrue();
    }
  }

  @Test
  void post_clientStopsSending_408AndBothConnectionsClosed() throws Exception {
    startGateway("1s");
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
      client.setSoTimeout(20_000);
      OutputStream out = client.getOutputStream();
      out.write(("POST /blobs/upload/half HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[64 * 1024]); // and not a byte more

      String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(response).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
      assertThat(originRequests("timeout")).as("not the origin's failure").isZero();
      assertThat(gateway.router().routes()).allSatisfy(route -> assertThat(route.origin().health().up()).isTrue());
      assertThat(originConnections).hasSize(1);
      assertThat(drainToEnd(originConnections.get(0))).as("origin connection closed by the gateway").isTrue();
    }
  }

  private double originRequests(String outcome) {
    var timer = gateway.metrics().registry().find("gateway.origin.requests").tag("outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  /** Reads what the gateway sent the origin until the end of the stream: true if it ends (closed). */
  private static boolean drainToEnd(Socket originSide) throws IOException {
    originSide.setSoTimeout(20_000);
    InputStream in = originSide.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      total += n;
      if (total > BODY_BYTES) {
        return false;
      }
    }
    return true;
  }

  /** Sends a POST of {@link #BODY_BYTES} in 64 KiB writes, counting the body bytes written, until done or cut. */
  private static void upload(Socket client, AtomicLong sent) {
    try {
      OutputStream out = client.getOutputStream();
      out.write(("POST /blobs/upload/silent HTTP/1.1\r\nHost: t\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      byte[] piece = new byte[64 * 1024];
      while (sent.get() < BODY_BYTES) {
        out.write(piece);
        sent.addAndGet(piece.length);
      }
    } catch (IOException cut) {
      // closed by the test once it has measured
    }
  }
}
