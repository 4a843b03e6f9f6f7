package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.TestGateways;
import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code timeouts.request-body-min-rate}: a client trickling its upload is cut with 408 once its
 * rate over a window of reading time is below the minimum, and the origin connection is closed (the
 * origin sees the body cut, and the connection is not pooled). A client paused only because the
 * origin does not read is not blamed: the origin's idle timeout applies.
 */
class SlowUploadTest {

  private final List<Socket> originConnections = new CopyOnWriteArrayList<>();
  /** Per origin connection: the body bytes it received before its end, once it ended. */
  private final List<CompletableFuture<Long>> originBodies = new CopyOnWriteArrayList<>();
  private ServerSocket origin;
  private Gateway gateway;

  /** An origin that accepts connections and reads what comes (if {@code reads}), never answering. */
  private void startOrigin(boolean reads) throws IOException {
    origin = new ServerSocket();
    origin.setReceiveBufferSize(64 * 1024);
    origin.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(() -> {
      while (!origin.isClosed()) {
        try {
          Socket connection = origin.accept();
          originConnections.add(connection);
          CompletableFuture<Long> body = new CompletableFuture<>();
          originBodies.add(body);
          if (reads) {
            Thread reader = new Thread(() -> body.complete(readBodyToEnd(connection)), "origin-reader");
            reader.setDaemon(true);
            reader.start();
          }
        } catch (IOException closed) {
          return;
        }
      }
    }, "test-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Reads a request head and its body until the connection ends; returns the body bytes read. */
  private static long readBodyToEnd(Socket connection) {
    long body = 0;
    try {
      InputStream in = connection.getInputStream();
      int matched = 0;
      int b;
      while (matched < 4 && (b = in.read()) >= 0) {
        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        body += n;
      }
    } catch (IOException reset) {
      // a reset ends the request as well as a FIN
    }
    return body;
  }

  private void startGateway(String idleTimeout) {
    gateway = TestGateways.start(URI.create("http://127.0.0.1:" + origin.getLocalPort()), """
        timeouts: { request-body-min-rate: 1KiB/s, request-body-rate-window: 1s }
        limits: { max-body-bytes: 256MiB }
        origins:
          - name: cloud
            url: http://127.0.0.1:%d
            paths: ["/up/"]
            response-timeout: 2s
            idle-timeout: %s
        """.formatted(origin.getLocalPort(), idleTimeout), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    if (origin != null) {
      origin.close();
    }
    for (Socket connection : originConnections) {
      connection.close();
    }
  }

  @Test
  void uploadAtTenBytesPerSecond_408AndBothConnectionsClosedBeforeTheBodyEnds() throws Exception {
    startOrigin(true);
    startGateway("30s"); // the idle timeout alone would never cut it: a byte comes every 100 ms
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
      client.setSoTimeout(20_000);
      OutputStream out = client.getOutputStream();
      AtomicInteger trickled = new AtomicInteger();
      out.write("POST /up/slow HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread trickler = new Thread(() -> {
        try {
          for (int i = 0; i < 1000; i++) {
            out.write('x');
            out.flush();
            trickled.incrementAndGet();
            Thread.sleep(100); // the client's pace is the subject of the test
          }
        } catch (IOException | InterruptedException cut) {
          // cut by the gateway
        }
      }, "trickler");
      trickler.setDaemon(true);
      trickler.start();

      String response = readToEnd(client.getInputStream());
      int trickledWhenClosed = trickled.get();
      trickler.interrupt();

      assertThat(response).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close")
          .contains("too slowly");
      // The window (1 s) judged at most a quarter late, then at most 2 s of lingering for the
      // client to read its 408: the client's connection is gone before the body would end. (The
      // instant the window judges it is asserted on a frozen clock in RequestBodyWatchTest.)
      assertThat(trickledWhenClosed).as("body bytes the client had sent when its connection closed")
          .isLessThan(1000);
      assertThat(originBodies).hasSize(1);
      long originBody = originBodies.get(0).get(5, TimeUnit.SECONDS);
      assertThat(originBody).as("body bytes the origin got before the gateway closed its connection")
          .isLessThan(1000);
      assertThat(originRequests("timeout")).as("not the origin's failure").isZero();
      assertThat(gateway.router().routes()).allSatisfy(route -> assertThat(route.origin().health().up()).isTrue());
    }
  }

  @Test
  void uploadPausedByAnOriginThatReadsNothing_notCutByTheRateButByTheOriginIdleTimeout() throws Exception {
    startOrigin(false);
    startGateway("3s");
    AtomicLong sent = new AtomicLong();
    try (Socket client = new Socket()) {
      client.setSendBufferSize(64 * 1024);
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
      long bodyBytes = 128L << 20;
      Thread uploader = new Thread(() -> {
        try {
          OutputStream out = client.getOutputStream();
          out.write(("POST /up/paused HTTP/1.1\r\nHost: t\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          byte[] piece = new byte[64 * 1024];
          while (sent.get() < bodyBytes) {
            out.write(piece);
            sent.addAndGet(piece.length);
          }
        } catch (IOException cut) {
          // cut by the gateway
        }
      }, "uploader");
      uploader.setDaemon(true);
      uploader.start();

      // Paused far longer than the rate window (1 s), sending nothing: still not the client's fault.
      // The origin's idle timeout ends it (outcome timeout); a cut by the rate window would have been
      // the client's stall, which aborts the exchange without counting an origin outcome. (The
      // instant, the idle timeout and not the window, is asserted on a frozen clock in RequestBodyWatchTest.)
      await().atMost(Duration.ofSeconds(30)).until(() -> originRequests("timeout") == 1);

      assertThat(sent.get()).as("the upload was paused").isLessThan(bodyBytes);
      uploader.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(uploader.isAlive()).as("the uploader, cut by the gateway").isFalse();
    }
  }

  private double originRequests(String outcome) {
    var timer = gateway.metrics().registry().find("gateway.origin.requests").tag("outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (IOException reset) {
      // a reset after the answer still ends it
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }
}
