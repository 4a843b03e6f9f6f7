package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of the heads a hit sends, at socket level: every field, its value and its place,
 * for each kind of answer from the store (200, 206, 416, HEAD, 304, HTTP/1.0 with and without
 * keep-alive, a client closing). They were taken from the gateway when each hit's head was a copy
 * of the stored header map; {@link StoredHeads} shares the stored fields instead and must send the
 * same bytes.
 */
class StoredHeadBytesTest {

  private static final String PATH = "/books/maths-6e/book.css";
  private static final String BODY = "body { color: navy; }";
  /** The origin's Date: the clock's start, when the object is fetched and stored. */
  private static final String DATE = "Mon, 02 Nov 2026 08:30:00 GMT";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T08:30:00Z"));
  private ScriptedOrigin origin;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    origin = ScriptedOrigin.start(0, clock);
    origin.answer(PATH, new Answer(200, BODY, "Content-Type", "text/css", "ETag", "\"v1\"",
        "Last-Modified", "Tue, 01 Sep 2026 08:00:00 GMT", "Cache-Control", "max-age=600", "Age", "3"));
    gateway = TestGateways.start(origin.baseUri(), "", clock);
    assertThat(exchange("GET " + PATH + " HTTP/1.1\r\nHost: a\r\n\r\n")).contains("fwd=miss");
    clock.advance(Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    gateway.close();
    origin.close();
  }

  /** The stored fields, as the origin sent them, less those each answer sets itself. */
  private static String stored() {
    return "date: " + DATE + "\r\n"
        + "Content-Type: text/css\r\n"
        + "ETag: \"v1\"\r\n"
        + "Last-Modified: Tue, 01 Sep 2026 08:00:00 GMT\r\n"
        + "Cache-Control: max-age=600\r\n";
  }

  @Test
  void get_200() throws Exception {
    assertThat(exchange("GET " + PATH + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo("HTTP/1.1 200 OK\r\n"
        + stored() + "content-length: 21\r\nage: 8\r\ncache-status: edge; hit; ttl=592\r\nvia: 1.1 textbook-gateway\r\n\r\n");
  }

  @Test
  void range_206() throws Exception {
    assertThat(exchange("GET " + PATH + " HTTP/1.1\r\nHost: a\r\nRange: bytes=2-5\r\n\r\n"))
        .isEqualTo("HTTP/1.1 206 Partial Content\r\n" + stored()
            + "content-length: 4\r\ncontent-range: bytes 2-5/21\r\nage: 8\r\ncache-status: edge; hit; ttl=592\r\n"
            + "via: 1.1 textbook-gateway\r\n\r\n");
  }

  @Test
  void rangeBeyondTheEnd_416() throws Exception {
    assertThat(exchange("GET " + PATH + " HTTP/1.1\r\nHost: a\r\nRange: bytes=100-200\r\n\r\n"))
        .isEqualTo("HTTP/1.1 416 Requested Range Not Satisfiable\r\n" + stored()
            + "content-length: 0\r\ncontent-range: bytes */21\r\nage: 8\r\ncache-status: edge; hit; ttl=592\r\n"
            + "via: 1.1 textbook-gateway\r\n\r\n");
  }

  @Test
  void head_200WithTheLengthAndNoBody() throws Exception {
    assertThat(exchange("HEAD " + PATH + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo("HTTP/1.1 200 OK\r\n"
        + stored() + "content-length: 21\r\nage: 8\r\ncache-status: edge; hit; ttl=592\r\nvia: 1.1 textbook-gateway\r\n\r\n");
  }

  @Test
  void http10KeepAlive_saysKeepAlive() throws Exception {
    assertThat(exchange("GET " + PATH + " HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"))
        .isEqualTo("HTTP/1.1 200 OK\r\n" + stored() + "content-length: 21\r\nage: 8\r\n"
            + "cache-status: edge; hit; ttl=592\r\nvia: 1.1 textbook-gateway\r\nconnection: keep-alive\r\n\r\n");
  }

  @Test
  void http10_saysClose() throws Exception {
    assertThat(exchange("GET " + PATH + " HTTP/1.0\r\nHost: a\r\n\r\n")).isEqualTo("HTTP/1.1 200 OK\r\n"
        + stored() + "content-length: 21\r\nage: 8\r\ncache-status: edge; hit; ttl=592\r\nvia: 1.1 textbook-gateway\r\n"
        + "connection: close\r\n\r\n");
  }

  @Test
  void clientClosing_saysClose() throws Exception {
    assertThat(exchange("GET " + PATH + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
        .isEqualTo("HTTP/1.1 200 OK\r\n" + stored() + "content-length: 21\r\nage: 8\r\n"
            + "cache-status: edge; hit; ttl=592\r\nvia: 1.1 textbook-gateway\r\nconnection: close\r\n\r\n");
  }

  @Test
  void conditional_304() throws Exception {
    assertThat(exchange("GET " + PATH + " HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"v1\"\r\n\r\n"))
        .isEqualTo("HTTP/1.1 304 Not Modified\r\ncache-control: max-age=600\r\ndate: " + DATE
            + "\r\netag: \"v1\"\r\nlast-modified: Tue, 01 Sep 2026 08:00:00 GMT\r\nage: 8\r\n"
            + "cache-status: edge; hit; ttl=592\r\nvia: 1.1 textbook-gateway\r\n\r\n");
  }

  /** Sends one request on a connection of its own; the response head, read up to its blank line. */
  private String exchange(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed before the end of the head: " + head.toString(StandardCharsets.ISO_8859_1));
        }
        head.write(b);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
