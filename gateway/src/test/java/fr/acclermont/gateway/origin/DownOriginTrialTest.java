package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.metrics.OriginOutcome;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * While an origin is down, one request at a time is sent to it (the trial, which finds it back as
 * soon as traffic asks); the others fail at once rather than each waiting out its timeout. The
 * origin here takes connections and never answers: the timeout a blackholed uplink gives.
 */
class DownOriginTrialTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private ServerSocket origin;
  private Gateway gateway;
  private OriginHealth health;

  @BeforeEach
  void start() throws IOException {
    origin = new ServerSocket();
    origin.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(() -> {
      while (!origin.isClosed()) {
        try {
          accepted.add(origin.accept()); // and never answer
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-origin");
    acceptor.setDaemon(true);
    acceptor.start();
    // A response timeout far longer than the test: a request at the origin waits until the test
    // closes its connection.
    gateway = TestGateways.start(URI.create("http://127.0.0.1:" + origin.getLocalPort()), """
        origins:
          - name: cloud
            url: http://127.0.0.1:%d
            paths: ["/blobs/"]
            response-timeout: 60s
        """.formatted(origin.getLocalPort()), Clock.systemUTC());
    health = gateway.router().route("/blobs/").origin().health();
    health.backoff(3_600_000, 3_600_000); // no probe here: only client requests reach the origin
    health.failed(OriginOutcome.CONNECT, 0);
  }

  @AfterEach
  void stop() throws IOException {
    gateway.close();
    origin.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  private CompletableFuture<Response> getAsync(String target) {
    return CompletableFuture.supplyAsync(() -> {
      try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(20_000)) {
        return client.get(target).read();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void down_oneTrialAtATime_othersFailAtOnce_thenTheNextOneTries() throws Exception {
    CompletableFuture<Response> trial = getAsync("/blobs/1KiB/trial");
    await().atMost(PATIENCE).until(() -> accepted.size() == 1); // the trial is at the origin
    Response refused = getAsync("/blobs/1KiB/refused").get();

    assertThat(refused.status()).isEqualTo(502);
    assertThat(trial).as("the trial, still waiting for the origin").isNotDone();
    assertThat(accepted).as("the refused request never reached the origin").hasSize(1);

    accepted.get(0).close(); // the origin drops the trial unanswered
    assertThat(trial.get().status()).isEqualTo(502);
    assertThat(health.up()).isFalse();
    CompletableFuture<Response> next = getAsync("/blobs/1KiB/next");
    await().atMost(PATIENCE).until(() -> accepted.size() == 2); // the trial ended: the next one tries
    accepted.get(1).close();
    assertThat(next.get().status()).isEqualTo(502);
  }

  @Test
  void down_trialAnswered_originUpAndEveryRequestGoesThroughAgain() throws Exception {
    CompletableFuture<Response> trial = getAsync("/blobs/1KiB/trial");
    await().atMost(PATIENCE).until(() -> accepted.size() == 1);
    accepted.get(0).getOutputStream().write(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    accepted.get(0).close();

    assertThat(trial.get().status()).isEqualTo(404);
    assertThat(health.up()).isTrue();
    List<CompletableFuture<Response>> both = List.of(getAsync("/blobs/1KiB/a"), getAsync("/blobs/1KiB/b"));
    await().atMost(PATIENCE).until(() -> accepted.size() == 3); // both at the origin at once
    for (Socket socket : accepted) {
      socket.close();
    }
    for (CompletableFuture<Response> one : both) {
      assertThat(one.get().status()).isEqualTo(502);
    }
  }
}
