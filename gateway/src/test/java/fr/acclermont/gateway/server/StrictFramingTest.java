package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.RawOrigin;
import fr.acclermont.gateway.testing.RawOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strict HTTP/1.1 framing against hostile clients (issue #14, items 1-3), at socket level: raw
 * bytes to a real gateway in front of an origin that records every request head it reads. Each
 * framing case hides a second request in what it sends as a body, followed by a pipelined one:
 * the client must get its 400 with {@code Connection: close}, the connection must close, and the
 * origin must never see the hidden request, the pipelined one, nor a complete bad request.
 */
class StrictFramingTest {

  /** A request hidden in a body: reaching the origin would be a desync (request smuggling). */
  private static final String SMUGGLED = "GET /blobs/smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
  /** A request pipelined after the bad one: never parsed once the framing is in doubt. */
  private static final String PIPELINED = "GET /blobs/pipelined HTTP/1.1\r\nHost: t\r\n\r\n";
  private static final String CHUNKED_SMUGGLED = Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n";

  private static final AtomicInteger CASES = new AtomicInteger();
  private static final List<String> heads = new CopyOnWriteArrayList<>();
  private static RawOrigin origin;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    origin = RawOrigin.start(StrictFramingTest::answer);
    gateway = TestGateways.start(origin.baseUri(), "", Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    origin.close();
  }

  @BeforeEach
  void clearHeads() {
    heads.clear();
  }

  /** The origin's script, by the second path segment; records each head it reads. */
  private static Answer answer(RawOrigin.Request request) {
    heads.add(request.method() + " " + request.target());
    String kind = request.target().split("/")[2];
    return switch (kind) {
      case "resp-cl" -> Answer.of("HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 5\r\n"
          + "Cache-Control: max-age=60\r\n\r\nhello");
      case "resp-te" -> Answer.of("HTTP/1.1 200 OK\r\nConnection: keep-alive, Transfer-Encoding\r\n"
          + "Transfer-Encoding: chunked\r\nCache-Control: no-store\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
      default -> Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Control: no-store\r\n\r\nok");
    };
  }

  private static String path(String name) {
    return "/blobs/" + name + "/" + CASES.incrementAndGet();
  }

  /**
   * Sends {@code raw} then the pipelined request on one connection; asserts a 400 with
   * {@code Connection: close}, the connection closed, and that the origin never saw the hidden nor
   * the pipelined request, nor {@code path} complete.
   */
  private static void assertRefused(String path, String raw) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
      Response response = client.sendRaw(raw + PIPELINED).read();
      assertThat(response.status()).as("status").isEqualTo(400);
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(client.isClosedByPeer()).as("connection closed").isTrue();
    }
    settle();
    assertThat(heads).as("heads the origin read").noneMatch(h -> h.contains("smuggled") || h.contains("pipelined"));
    assertThat(origin.received(path)).as("complete requests the origin received").isEmpty();
  }

  /**
   * A request on a new connection, answered: whatever the bad connection was going to send the
   * origin, it sent before it closed, so the origin has read it by now (a bounded wait, no sleep).
   */
  private static void settle() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
      assertThat(client.get(path("settle")).read().status()).isEqualTo(200);
    }
  }

  private static String post(String path, String... fields) {
    return "POST " + path + " HTTP/1.1\r\nHost: t\r\n" + String.join("", fields.length == 0 ? new String[0]
        : java.util.Arrays.stream(fields).map(f -> f + "\r\n").toArray(String[]::new)) + "\r\n";
  }

  private static String chunkedPost(String path) {
    return post(path, "Transfer-Encoding: chunked");
  }

  // ---- item 1: framing fields named in Connection ----

  @Test
  void connectionNamesContentLength_400AndClosed_bodyNeverParsedAsARequest() throws Exception {
    String path = path("conn-cl");
    assertRefused(path, post(path, "Connection: Content-Length", "Content-Length: " + SMUGGLED.length()) + SMUGGLED);
    assertThat(heads).noneMatch(h -> h.contains("conn-cl"));
  }

  @Test
  void connectionNamesTransferEncoding_onASecondLineInAnotherCase_400AndClosed() throws Exception {
    String path = path("conn-te");
    assertRefused(path, post(path, "Connection: keep-alive", "Connection: x-foo , TRANSFER-encoding",
        "Transfer-Encoding: chunked") + CHUNKED_SMUGGLED + "0\r\n\r\n");
    assertThat(heads).noneMatch(h -> h.contains("conn-te"));
  }

  @Test
  void connectionNamesHost_400AndClosed() throws Exception {
    String path = path("conn-host");
    assertRefused(path, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close,host\r\n\r\n");
    assertThat(heads).noneMatch(h -> h.contains("conn-host"));
  }

  @Test
  void originResponseNamingContentLengthInConnection_keepsItsLength_connectionReusable() throws Exception {
    for (String cacheControl : List.of("Cache-Control: no-store", "X-Stored: 1")) { // pass-through, then probe
      String path = path("resp-cl");
      try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
        Response response = client.get(path, cacheControl).read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("5");
        assertThat(response.text()).isEqualTo("hello");
        assertThat(client.get(path("after"), "Cache-Control: no-store").read().text())
            .as("the next response on the connection").isEqualTo("ok");
      }
    }
  }

  @Test
  void originResponseNamingTransferEncodingInConnection_rechunked_connectionReusable() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
      Response response = client.get(path("resp-te"), "Cache-Control: no-store").read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.complete()).isTrue();
      assertThat(response.text()).isEqualTo("hello");
      assertThat(client.get(path("after"), "Cache-Control: no-store").read().text()).isEqualTo("ok");
    }
  }

  // ---- item 2: strict chunked request bodies ----

  private static void assertBadChunks(String name, String body) throws Exception {
    String path = path(name);
    assertRefused(path, chunkedPost(path) + body + CHUNKED_SMUGGLED + "0\r\n\r\n");
  }

  @Test
  void chunkSizeWith0xPrefix_400() throws Exception {
    assertBadChunks("hex-prefix", "0x5\r\nhello\r\n");
  }

  @Test
  void chunkSizeWithPlusSign_400() throws Exception {
    assertBadChunks("plus", "+5\r\nhello\r\n");
  }

  @Test
  void chunkSizeWithMinusSign_400() throws Exception {
    assertBadChunks("minus", "-5\r\nhello\r\n");
  }

  @Test
  void chunkSizeWithTrailingGarbage_400() throws Exception {
    assertBadChunks("garbage", "5garbage\r\nhello\r\n");
  }

  @Test
  void chunkSizeWithWhitespaceInside_400() throws Exception {
    assertBadChunks("space", "5 5\r\nhello\r\n");
  }

  @Test
  void chunkSizeOverflowing63Bits_400() throws Exception {
    assertBadChunks("overflow", "8000000000000005\r\nhello\r\n");
  }

  @Test
  void chunkDataLongerThanItsSize_400() throws Exception {
    assertBadChunks("too-long", "3\r\nhello\r\n");
  }

  @Test
  void bareCrInChunkExtension_400() throws Exception {
    assertBadChunks("bare-cr", "5;a=b\rc\r\nhello\r\n");
  }

  @Test
  void bareLfInChunkExtension_400() throws Exception {
    assertBadChunks("bare-lf", "5;a=b\nc\r\nhello\r\n");
  }

  @Test
  void chunkLineOverTheRequestLineLimit_400() throws Exception {
    assertBadChunks("long-line", "5;x=" + "e".repeat(9000) + "\r\nhello\r\n");
  }

  @Test
  void badChunkAfterGoodOnes_400_originNeverSeesTheBodyEnd() throws Exception {
    assertBadChunks("late", "5\r\nhello\r\n5\r\nworld\r\n5x\r\nhello\r\n");
  }

  /** Chunks of one byte, each with an extension of {@code extensionBytes} (counted from its ';'). */
  private static String chunksWithExtensions(int chunks, int extensionBytes, String sizePrefix) {
    return (sizePrefix + "1;x=" + "e".repeat(extensionBytes - 3) + "\r\na\r\n").repeat(chunks);
  }

  @Test
  void chunkExtensionsOver4KiBInTotal_400() throws Exception {
    assertBadChunks("extensions", chunksWithExtensions(3, 1500, ""));
  }

  @Test
  void chunkExtensionsOver4KiBBehindLeadingZeros_400() throws Exception {
    assertBadChunks("extensions-zeros", chunksWithExtensions(3, 1500, "0".repeat(40)));
  }

  @Test
  void chunkExtensionsUnder4KiBInTotal_forwarded() throws Exception {
    String path = path("extensions-ok");
    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
      Response response = client.sendRaw(chunkedPost(path) + chunksWithExtensions(4, 1024, "") + "0\r\n\r\n"
          + PIPELINED).read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(client.read().status()).as("the pipelined request").isEqualTo(200);
    }
    assertThat(origin.received(path)).singleElement().extracting(r -> new String(r.body())).isEqualTo("aaaa");
  }

  @Test
  void wellFormedChunkedBodyWithExtension_forwarded() throws Exception {
    String path = path("good-chunks");
    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
      Response response = client.sendRaw(chunkedPost(path) + "5;name=value\r\nhello\r\n0\r\n\r\n" + PIPELINED).read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(client.read().status()).as("the pipelined request").isEqualTo(200);
    }
    assertThat(origin.received(path)).singleElement().extracting(r -> new String(r.body())).isEqualTo("hello");
  }

  // ---- item 3: GET or HEAD with a body ----

  @Test
  void getWithContentLengthBody_400AndClosed() throws Exception {
    String path = path("get-cl");
    assertRefused(path, "GET " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n"
        + SMUGGLED);
    assertThat(heads).noneMatch(h -> h.contains("get-cl"));
  }

  @Test
  void getWithChunkedBody_400AndClosed() throws Exception {
    String path = path("get-chunked");
    assertRefused(path, "GET " + path + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        + CHUNKED_SMUGGLED + "0\r\n\r\n");
    assertThat(heads).noneMatch(h -> h.contains("get-chunked"));
  }

  @Test
  void headWithContentLengthBody_400AndClosed() throws Exception {
    String path = path("head-cl");
    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
      Response response = client.sendRaw("HEAD " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: "
          + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED + PIPELINED).readHead();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(client.isClosedByPeer()).isTrue();
    }
    settle();
    assertThat(heads).noneMatch(h -> h.contains("head-cl") || h.contains("smuggled") || h.contains("pipelined"));
  }

  @Test
  void getWithEmptyBody_servedAndNextPipelinedRequestToo() throws Exception {
    String path = path("get-empty");
    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(5_000)) {
      client.sendRaw("GET " + path + " HTTP/1.1\r\nHost: t\r\nCache-Control: no-store\r\nContent-Length: 0\r\n\r\n"
          + PIPELINED);
      assertThat(client.read().status()).isEqualTo(200);
      assertThat(client.read().status()).as("the pipelined request").isEqualTo(200);
    }
    assertThat(heads).contains("GET " + path, "GET /blobs/pipelined");
  }
}
