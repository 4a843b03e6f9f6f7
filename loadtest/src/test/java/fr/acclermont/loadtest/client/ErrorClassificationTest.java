package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each fault of the demo origin (and two the origin cannot make) ends as the right error kind. */
class ErrorClassificationTest {

  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);
  private static final long BLOB = 1024 * 1024;

  private static DemoOrigin origin;
  private static LoadClient client;
  private static LoadClient impatientClient;

  @BeforeAll
  static void start() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    Target target = Target.parse(origin.baseUri().toString());
    client = LoadClient.start(target, new ClientOptions(1, 6, Duration.ofSeconds(10)));
    impatientClient = LoadClient.start(target, new ClientOptions(1, 6, SHORT_TIMEOUT));
  }

  @AfterAll
  static void stop() {
    impatientClient.close();
    client.close();
    origin.close();
  }

  @Test
  void range_normal_succeedsWithVerifiedBytes() throws Exception {
    Book book = origin.catalog().books().get(0);
    RequestSpec spec = RequestSpec.range(RequestKind.RANGE, book.pdfPath(), RangeSpec.of(65536, 65536),
        book.pdfSize(), new SyntheticContentVerifier(book.pdfPath(), book.pdfSize(), 1));
    RequestResult result = fetch(client, spec);
    assertThat(result.error()).as(result.toString()).isNull();
    assertThat(result.status()).isEqualTo(206);
    assertThat(result.bodyBytes()).isEqualTo(65536);
  }

  @Test
  void status503_isStatus() throws Exception {
    assertThat(fetch(client, blob("/blobs/1MiB/a?status=503")).error()).isEqualTo(ErrorKind.STATUS);
  }

  @Test
  void rangeAnsweredWhole_isStatus() throws Exception {
    RequestSpec spec = RequestSpec.range(RequestKind.RANGE, "/blobs/1MiB/a?no-ranges=1", RangeSpec.of(0, 1024), BLOB,
        null);
    assertThat(fetch(client, spec).error()).isEqualTo(ErrorKind.STATUS);
  }

  /** A TCP reset mid-body is a reset (the transport failed), not a short body: see {@link ErrorKind#RESET}. */
  @Test
  void resetAfter_isReset() throws Exception {
    RequestResult result = fetch(client, blob("/blobs/1MiB/a?reset-after=100000"));
    assertThat(result.error()).as(result.toString()).isEqualTo(ErrorKind.RESET);
    assertThat(result.status()).isEqualTo(200);
  }

  @Test
  void stallAfter_shortTimeout_isTimeout() throws Exception {
    RequestResult result = fetch(impatientClient, blob("/blobs/1MiB/a?stall-after=1000"));
    assertThat(result.error()).as(result.toString()).isEqualTo(ErrorKind.TIMEOUT);
    // The request's own timeout fired (not a read or connect error): the one configured.
    assertThat(result.detail()).isEqualTo("no complete response within " + SHORT_TIMEOUT.toMillis() + " ms");
    assertThat(result.bodyBytes()).as("the body up to the stall").isEqualTo(1000);
  }

  @Test
  void closeBeforeHeaders_isReset() throws Exception {
    RequestResult result = fetch(client, blob("/blobs/1MiB/a?close-before-headers=1"));
    assertThat(result.error()).as(result.toString()).isEqualTo(ErrorKind.RESET);
    assertThat(result.status()).isZero();
  }

  @Test
  void refusedPort_isConnect() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (LoadClient refused = LoadClient.start(new Target("127.0.0.1", port, ""), ClientOptions.defaults())) {
      assertThat(fetch(refused, blob("/blobs/1MiB/a")).error()).isEqualTo(ErrorKind.CONNECT);
    }
  }

  @Test
  void rangeOfAnotherPath_isCorrupt() throws Exception {
    RequestSpec spec = RequestSpec.range(RequestKind.RANGE, "/blobs/1MiB/a", RangeSpec.of(4096, 65536), BLOB,
        new SyntheticContentVerifier("/blobs/1MiB/b", BLOB, 1));
    assertThat(fetch(client, spec).error()).isEqualTo(ErrorKind.CORRUPT);
  }

  @Test
  void sizeOtherThanTheCatalogs_isCorrupt() throws Exception {
    assertThat(fetch(client, RequestSpec.whole(RequestKind.ASSET, "/blobs/1MiB/a", BLOB + 1, null)).error())
        .isEqualTo(ErrorKind.CORRUPT);
  }

  @Test
  void chunkedBody_ofTheRightSize_succeeds() throws Exception {
    RequestResult result = fetch(client, blob("/blobs/1MiB/a?chunked=1"));
    assertThat(result.error()).as(result.toString()).isNull();
    assertThat(result.bodyBytes()).isEqualTo(BLOB);
  }

  @Test
  void connectionClosedMidBody_isShortBody() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answerHalfABody(server));
      try (LoadClient stub = LoadClient.start(new Target("127.0.0.1", server.getLocalPort(), ""),
          ClientOptions.defaults())) {
        RequestResult result = fetch(stub, RequestSpec.whole(RequestKind.ASSET, "/x", 100, null));
        assertThat(result.error()).as(result.toString()).isEqualTo(ErrorKind.SHORT_BODY);
        assertThat(result.bodyBytes()).isEqualTo(50);
      }
      served.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pool_afterAFailure_servesTheNextRequestOnANewConnection() throws Exception {
    ConnectionPool pool = client.newPool();
    CompletableFuture<RequestResult> failed = new CompletableFuture<>();
    CompletableFuture<RequestResult> next = new CompletableFuture<>();
    pool.submit(blob("/blobs/1MiB/a?reset-after=10"), System.nanoTime(), failed::complete);
    pool.submit(blob("/blobs/1MiB/a"), System.nanoTime(), next::complete);
    assertThat(failed.get(10, TimeUnit.SECONDS).error()).isEqualTo(ErrorKind.RESET);
    assertThat(next.get(10, TimeUnit.SECONDS).error()).isNull();
  }

  private static RequestSpec blob(String target) {
    return RequestSpec.whole(RequestKind.ASSET, target, BLOB, null);
  }

  private static RequestResult fetch(LoadClient with, RequestSpec spec) throws Exception {
    CompletableFuture<RequestResult> result = new CompletableFuture<>();
    with.newPool().submit(spec, System.nanoTime(), result::complete);
    return result.get(10, TimeUnit.SECONDS);
  }

  /** Answers one request with a 100-byte Content-Length and 50 bytes, then closes cleanly (FIN). */
  private static void answerHalfABody(ServerSocket server) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      int matched = 0;
      byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      while (matched < end.length) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
      }
      OutputStream out = socket.getOutputStream();
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[50]);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
