package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every bad request and every origin failure gets its status (or a visibly broken connection),
 * and none of them disturbs a good request running at the same time.
 */
class BadInputTest {

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static final AtomicInteger GOOD = new AtomicInteger();
  /** Larger than every socket and channel buffer between origin, gateway and client together. */
  private static final long GOOD_BYTES = 32L << 20;

  /**
   * Runs {@code badCase} while a good download is under way on another connection: its head has
   * arrived but its client reads nothing more until the bad case is over, so the gateway is in the
   * middle of that response (the origin read paused by backpressure) for the whole bad case. Then
   * the download must end whole and right.
   */
  private static void whileGoodRequestRuns(ThrowingRunnable badCase) throws Exception {
    String path = "/blobs/32MiB/good-" + GOOD.incrementAndGet();
    try (TestHttpClient good = TestHttpClient.connect(env.gateway().port(), 64 * 1024)) {
      TestHttpClient.Head head = good.get(path + "?cc=no-store").readStatusAndHeaders();
      assertThat(head.status()).isEqualTo(200);

      badCase.run();
      assertThat(env.origin().stats().bytes(path))
          .as("origin bytes of the good response sent by the end of the bad case").isLessThan(GOOD_BYTES);
      Response response = good.readBodyDigestOnly(head);

      assertThat(response.complete()).as("the good response, held during the bad case").isTrue();
      assertThat(response.bodyLength()).isEqualTo(GOOD_BYTES);
      assertThat(response.sha256()).isEqualTo(ExpectedContent.sha256(path, GOOD_BYTES));
    }
  }

  private static Response raw(String request) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.sendRaw(request).read();
    }
  }

  @Test
  void connect_refusedWith405() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
      assertThat(response.status()).isEqualTo(405);
    });
  }

  @Test
  void absoluteFormForAnotherHost_refusedWith403() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET http://example.org/blobs/10/x HTTP/1.1\r\nHost: example.org\r\n\r\n");
      assertThat(response.status()).isEqualTo(403);
    });
  }

  @Test
  void absoluteFormForTheOrigin_served() throws Exception {
    String authority = env.origin().baseUri().getAuthority();
    Response response = raw("GET http://" + authority + "/blobs/10/absolute HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void unroutedPath_404() throws Exception {
    whileGoodRequestRuns(() -> assertThat(raw("GET /elsewhere HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(404));
  }

  @Test
  void requestLineTooLong_414() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET /blobs/10/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(response.status()).isEqualTo(414);
    });
  }

  @Test
  void headersTooLarge_431() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET /blobs/10/x HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
      assertThat(response.status()).isEqualTo(431);
    });
  }

  @Test
  void tooManyHeaders_431() throws Exception {
    StringBuilder request = new StringBuilder("GET /blobs/10/x HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 150; i++) {
      request.append("X-H").append(i).append(": v\r\n");
    }
    whileGoodRequestRuns(() -> assertThat(raw(request.append("\r\n").toString()).status()).isEqualTo(431));
  }

  @Test
  void bodyOverMaximum_413() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("POST /blobs/10/x HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n");
      assertThat(response.status()).isEqualTo(413);
    });
  }

  @Test
  void malformedRequest_400AndConnectionClosed() throws Exception {
    whileGoodRequestRuns(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        Response response = client.sendRaw("GARBAGE\r\n\r\n").read();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.isClosedByPeer()).isTrue();
      }
    });
  }

  @Test
  void contentLengthAndTransferEncoding_refused() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("POST /blobs/10/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("Connection")).isEqualTo("close");
    });
  }

  @Test
  void twoDifferentContentLengths_refused() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("POST /blobs/10/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello");
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("Connection")).isEqualTo("close");
    });
  }

  @Test
  void http11WithoutHost_400AndConnectionClosed() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET /blobs/10/x HTTP/1.1\r\n\r\n");
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("Connection")).isEqualTo("close");
    });
  }

  @Test
  void chunkedBodyOverMaximum_413WhileStreaming() throws Exception {
    whileGoodRequestRuns(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        client.sendRaw("POST /blobs/10/chunked-too-much HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
        byte[] chunk = new byte[256 * 1024];
        try {
          for (int i = 0; i < 44; i++) { // 11 MiB, no length declared: over the 10 MiB maximum while streaming
            client.sendRaw(Integer.toHexString(chunk.length) + "\r\n").sendBytes(chunk).sendRaw("\r\n");
          }
          client.sendRaw("0\r\n\r\n");
        } catch (IOException closedWhileSending) {
          // the gateway may close once it has answered and dropped the rest: what matters is the answer
        }
        assertThat(client.read().status()).isEqualTo(413);
      }
    });
    assertThat(env.origin().stats().requests("/blobs/10/chunked-too-much")).isZero();
  }

  @Test
  void viaLoop_508() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET /blobs/10/x HTTP/1.1\r\nHost: t\r\nVia: 1.1 textbook-gateway\r\n\r\n");
      assertThat(response.status()).isEqualTo(508);
    });
  }

  @Test
  void slowHeaders_408AndCutOff() throws Exception {
    whileGoodRequestRuns(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        client.sendRaw("GET /blobs/10/x HTTP/1.1\r\nHo"); // and nothing more
        Response response = client.read();
        assertThat(response.status()).isEqualTo(408);
        assertThat(client.isClosedByPeer()).isTrue();
      }
    });
  }

  /**
   * A client sending its head a byte every 100 ms never goes quiet for long, yet gets 408 once the
   * request-header timeout (1 s here) has passed since its first byte: long before it is done.
   */
  @Test
  void headersTrickledAByteAtATime_408BeforeTheyAreComplete() throws Exception {
    byte[] head = "GET /blobs/10/trickle HTTP/1.1\r\nHost: t\r\nUser-Agent: a-very-slow-client\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    whileGoodRequestRuns(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> {
          try {
            return client.read();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
        int sent = 0;
        try {
          while (sent < head.length && !paced(answer)) {
            client.sendBytes(new byte[] {head[sent++]});
          }
        } catch (IOException closedWhileSending) {
          // the gateway cut the connection after its 408
        }

        assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(408);
        assertThat(sent).as("bytes of the head sent before the 408").isLessThan(head.length);
        assertThat(client.isClosedByPeer()).isTrue();
      }
    });
  }

  /**
   * The trickling client's pace: waits up to 100 ms for the gateway's answer, which ends the trickle
   * at once when it comes; true if it came.
   */
  private static boolean paced(CompletableFuture<Response> answer) throws InterruptedException {
    try {
      answer.get(100, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException notYet) {
      return false;
    } catch (ExecutionException failed) {
      return true; // the read failed: reported by the assertions below
    }
  }

  @Test
  void originUnreachable_502() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET /down/anything HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(response.status()).isEqualTo(502);
    });
  }

  @Test
  void originClosesBeforeHeaders_502() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET /blobs/10/closes?close-before-headers=1 HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(response.status()).isEqualTo(502);
    });
  }

  @Test
  void originTooSlowForHeaders_504() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("GET /blobs/10/slow?delay=4000 HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(response.status()).isEqualTo(504);
    });
  }

  @Test
  void originStallsMidBody_clientConnectionAbortedNeverComplete() throws Exception {
    whileGoodRequestRuns(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        Response response = client.get("/blobs/1MiB/stalls?stall-after=100000").read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.complete()).isFalse();
        assertThat(response.bodyLength()).isLessThan(1 << 20);
      }
    });
    String path = "/blobs/1MiB/stalls";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response after = client.get(path + "?stall-after=100000").read();
      assertThat(after.header("Cache-Status")).doesNotContain("hit"); // the cut copy was not stored
    }
  }

  @Test
  void originResetsMidBody_clientConnectionAbortedNeverComplete() throws Exception {
    whileGoodRequestRuns(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        Response response = client.get("/blobs/2MiB/resets?reset-after=300000").read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.complete()).isFalse();
      }
    });
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
