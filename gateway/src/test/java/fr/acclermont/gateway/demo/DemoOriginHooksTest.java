package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.DateFormatter;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The query-string test hooks the gateway's integration tests rely on, one test per hook. */
@Timeout(30)
class DemoOriginHooksTest {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static DemoOrigin origin;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @Test
  void cc_value_replacesCacheControl() throws Exception {
    assertThat(cacheControl("/blobs/1KiB/cc?cc=no-store")).isEqualTo("no-store");
    assertThat(cacheControl("/blobs/1KiB/cc?cc=private")).isEqualTo("private");
    assertThat(cacheControl("/blobs/1KiB/cc?cc=max-age%3D0")).isEqualTo("max-age=0");
    assertThat(cacheControl(origin.catalog().books().get(0).indexPath() + "?cc=no-cache")).isEqualTo("no-cache");
  }

  @Test
  void cc_none_noCacheControlHeader() throws Exception {
    assertThat(cacheControl("/blobs/1KiB/cc?cc=none")).isNull();
  }

  @Test
  void expires_seconds_expiresFromDateAndNoMaxAge() throws Exception {
    HttpResponse<byte[]> later = get("/blobs/1KiB/expires?expires=120");
    HttpResponse<byte[]> past = get("/blobs/1KiB/expires?expires=-60&cc=max-age%3D10");

    assertThat(secondsBetween(later, "date", "expires")).isEqualTo(120);
    assertThat(later.headers().firstValue("cache-control")).hasValue("public");
    assertThat(secondsBetween(past, "date", "expires")).isEqualTo(-60);
    assertThat(past.headers().firstValue("cache-control")).isEmpty();
  }

  @Test
  void vary_header_addsVary() throws Exception {
    assertThat(get("/blobs/1KiB/vary?vary=Accept-Encoding").headers().firstValue("vary")).hasValue("Accept-Encoding");
  }

  @Test
  void status_code_thatStatusWithTextBody() throws Exception {
    HttpResponse<byte[]> unavailable = get("/blobs/1KiB/status?status=503");
    HttpResponse<byte[]> notFound = get("/blobs/1KiB/status?status=404&cc=max-age%3D60");

    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(new String(unavailable.body())).isEqualTo("503 Service Unavailable\n");
    assertThat(unavailable.headers().firstValue("cache-control")).isEmpty();
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.headers().firstValue("cache-control")).hasValue("max-age=60");
  }

  @Test
  void status_badValue_badRequestNamingTheHook() throws Exception {
    HttpResponse<byte[]> response = get("/blobs/1KiB/status?status=99");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new String(response.body())).contains("status: 99");
    assertThat(get("/blobs/1KiB/delay?delay=soon").statusCode()).isEqualTo(400);
  }

  @Test
  void delay_millis_nothingWrittenUntilThenWholeResponse() {
    try (EmbeddedDemoOrigin embedded = new EmbeddedDemoOrigin(DemoOriginOptions.builder().build())) {
      embedded.get("/blobs/1KiB/delay?delay=300");
      embedded.advance(Duration.ofMillis(299));

      assertThat(embedded.received()).as("written by 299 ms").isEmpty();
      embedded.advance(Duration.ofMillis(1));
      assertThat(embedded.response().status()).isEqualTo(200);
      assertThat(embedded.response().body()).isEqualTo(SyntheticContent.bytes("/blobs/1KiB/delay", 0, 1024, 1));
    }
  }

  @Test
  void stallAfter_bytes_thatPrefixThenSilenceOnOpenConnection() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Head head = connection.send("GET", "/blobs/1MiB/stall?stall-after=5000").readHead();

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.contentLength()).isEqualTo(1 << 20);
      assertThat(connection.readBytes(5000)).isEqualTo(SyntheticContent.bytes("/blobs/1MiB/stall", 0, 5000, 1));
      awaitBytes("/blobs/1MiB/stall", 5000);
    }
    // The silence, on a frozen clock: nothing more however long, the connection left open.
    try (EmbeddedDemoOrigin embedded = new EmbeddedDemoOrigin(DemoOriginOptions.builder().build())) {
      embedded.get("/blobs/1MiB/stall?stall-after=5000");
      assertThat(embedded.response().body()).hasSize(5000);
      embedded.advance(Duration.ofHours(1));
      assertThat(embedded.response().body()).as("body written after an hour").hasSize(5000);
      assertThat(embedded.isOpen()).isTrue();
    }
  }

  @Test
  void stallAfter_withStallFor_prefixThenSilenceForThatLongThenTheRest() {
    String path = "/blobs/64KiB/stall-for";
    byte[] content = SyntheticContent.bytes(path, 0, 65536, 1);
    try (EmbeddedDemoOrigin embedded = new EmbeddedDemoOrigin(DemoOriginOptions.builder().build())) {
      embedded.get(path + "?stall-after=1000&stall-for=200");

      assertThat(embedded.response().status()).isEqualTo(200);
      assertThat(embedded.response().body()).isEqualTo(Arrays.copyOf(content, 1000));
      embedded.advance(Duration.ofMillis(199));
      assertThat(embedded.response().body()).as("body written by 199 ms of stall").hasSize(1000);
      embedded.advance(Duration.ofMillis(1));
      assertThat(embedded.response().body()).isEqualTo(content);
    }
  }

  @Test
  void stallAfter_withStallFor_realSocketResumesAndCompletes() throws Exception {
    HttpResponse<byte[]> response = get("/blobs/64KiB/stall-for?stall-after=1000&stall-for=200");

    assertThat(response.body()).isEqualTo(SyntheticContent.bytes("/blobs/64KiB/stall-for", 0, 65536, 1));
  }

  @Test
  void resetAfter_bytes_clientSeesResetAfterShortBody() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Head head = connection.send("GET", "/blobs/1MiB/reset?reset-after=100000").readHead();
      assertThat(head.contentLength()).isEqualTo(1 << 20);

      long received = 0;
      IOException failure = null;
      byte[] buffer = new byte[8192];
      try {
        for (int n = connection.readToEnd(buffer); n >= 0; n = connection.readToEnd(buffer)) {
          received += n;
        }
      } catch (IOException e) {
        failure = e;
      }

      assertThat(received).isLessThanOrEqualTo(100_000);
      assertThat(failure).isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }
    assertThatThrownBy(() -> get("/blobs/1MiB/reset-client?reset-after=10")).isInstanceOf(IOException.class);
  }

  @Test
  void closeBeforeHeaders_on_connectionClosedWithoutAByte() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.send("GET", "/blobs/1KiB/close-early?close-before-headers=1");

      assertThat(connection.in().read()).isEqualTo(-1);
    }
    assertThat(origin.stats().requests("/blobs/1KiB/close-early")).isEqualTo(1);
  }

  @Test
  void noRanges_rangeRequest_fullBodyWithoutAcceptRanges() throws Exception {
    HttpResponse<byte[]> response = get("/blobs/64KiB/no-ranges?no-ranges=1", "Range", "bytes=0-9");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).hasSize(65536);
    assertThat(response.headers().firstValue("accept-ranges")).isEmpty();
  }

  @Test
  void chunked_on_chunkedTransferWithoutContentLength() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response response = connection.send("GET", "/blobs/200KiB/chunked?chunked=1").read(false);
      RawConnection.Response next = connection.send("GET", "/blobs/7/chunked").read(false);

      assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(response.header("content-length")).isNull();
      assertThat(response.body()).isEqualTo(SyntheticContent.bytes("/blobs/200KiB/chunked", 0, 200 * 1024, 1));
      assertThat(next.body()).hasSize(7);
    }
  }

  @Test
  void close_on_connectionCloseThenEndOfStream() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response response = connection.send("GET", "/blobs/10/close?close=1").read(false);

      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(response.body()).hasSize(10);
      assertThat(connection.in().read()).isEqualTo(-1);
    }
  }

  @Test
  void query_anyHook_contentFromPathOnly() throws Exception {
    byte[] expected = SyntheticContent.bytes("/blobs/1KiB/same", 0, 1024, 1);

    assertThat(get("/blobs/1KiB/same?v=2&cc=private").body()).isEqualTo(expected);
    assertThat(get("/blobs/1KiB/same").headers().firstValue("etag"))
        .isEqualTo(get("/blobs/1KiB/same?v=3").headers().firstValue("etag"));
  }

  @Test
  void uploadHooks_statusAndLocations_shapeTheReceipt() throws Exception {
    HttpResponse<byte[]> response = send("POST", "/blobs/1KiB/upload-hooks?upload-status=201"
        + "&location=%2Fblobs%2F1KiB%2Fcreated&content-location=http%3A%2F%2Fschool.test%2Fblobs%2F1KiB%2Fmoved", "hi");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("location")).hasValue("/blobs/1KiB/created");
    assertThat(response.headers().firstValue("content-location")).hasValue("http://school.test/blobs/1KiB/moved");
    assertThat(new String(response.body())).startsWith("{\"method\":\"POST\",\"bytes\":2,");
  }

  @Test
  void uploadHooks_errorStatus_receiptWithThatStatus() throws Exception {
    assertThat(send("PUT", "/blobs/1KiB/upload-hooks?upload-status=409", "x").statusCode()).isEqualTo(409);
    assertThat(send("DELETE", "/blobs/1KiB/upload-hooks?upload-status=503", "").statusCode()).isEqualTo(503);
    assertThat(send("POST", "/blobs/1KiB/upload-hooks?upload-status=600", "").statusCode()).isEqualTo(400);
  }

  @Test
  void uploadHooks_onGet_ignored() throws Exception {
    HttpResponse<byte[]> response = get("/blobs/1KiB/upload-hooks-get?upload-status=409&location=%2Felsewhere");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("location")).isEmpty();
    assertThat(response.body()).isEqualTo(SyntheticContent.bytes("/blobs/1KiB/upload-hooks-get", 0, 1024, 1));
  }

  @Test
  void uploadSink_unknownMethod_receiptOfWhatItReceived() throws Exception {
    HttpResponse<byte[]> response = send("PURGE", "/blobs/1KiB/purge", "hello");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body())).isEqualTo("{\"method\":\"PURGE\",\"bytes\":5,"
        + "\"sha256\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"}");
  }

  private static HttpResponse<byte[]> send(String method, String pathAndQuery, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(origin.baseUri() + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), BodyHandlers.ofByteArray());
  }

  private static long secondsBetween(HttpResponse<?> response, String from, String to) {
    Date start = DateFormatter.parseHttpDate(response.headers().firstValue(from).orElseThrow());
    Date end = DateFormatter.parseHttpDate(response.headers().firstValue(to).orElseThrow());
    return (end.getTime() - start.getTime()) / 1000;
  }

  private static String cacheControl(String pathAndQuery) throws Exception {
    return get(pathAndQuery).headers().firstValue("cache-control").orElse(null);
  }

  private static HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(origin.baseUri() + pathAndQuery));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(builder.build(), BodyHandlers.ofByteArray());
  }

  private static void awaitBytes(String path, long bytes) {
    await().atMost(Duration.ofSeconds(5)).until(() -> origin.stats().bytes(path) == bytes);
  }
}
