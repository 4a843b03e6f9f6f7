package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  /** Runs {@code badCase} while a good 4 MiB download is in flight, then checks the download. */
  private static void whileGoodRequestRuns(ThrowingRunnable badCase) throws Exception {
    String path = "/blobs/4MiB/good-" + GOOD.incrementAndGet();
    CompletableFuture<Response> good = CompletableFuture.supplyAsync(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        return client.get(path + "?cc=no-store").readDigestOnly();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    badCase.run();
    Response response = good.get(30, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.sha256()).isEqualTo(ExpectedContent.sha256(path, 4 << 20));
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
    });
  }

  @Test
  void twoDifferentContentLengths_refused() throws Exception {
    whileGoodRequestRuns(() -> {
      Response response = raw("POST /blobs/10/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello");
      assertThat(response.status()).isEqualTo(400);
    });
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
