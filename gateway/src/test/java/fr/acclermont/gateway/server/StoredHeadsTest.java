package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The head of a hit, as {@code HttpServerCodec} encodes it: the exact bytes of a shared head for a
 * 200, a 206, a HEAD and an HTTP/1.0 client, and the same bytes as the copy of the stored header map
 * it replaces, for stored heads holding the fields each answer sets itself, in any case, repeated.
 */
class StoredHeadsTest {

  private static final String VIA = "1.1 textbook-gateway";
  private static final String HIT = "edge; hit; ttl=592";
  private static final String STORED = "date: Mon, 02 Nov 2026 08:30:00 GMT\r\n"
      + "Content-Type: text/css\r\n"
      + "ETag: \"v1\"\r\n"
      + "Cache-Control: max-age=600\r\n";

  private static StoredObject object(HttpHeaders headers) {
    return new StoredObject(new CacheKey("cloud", "/book.css"), 1, 200, headers, 21, 1 << 20, 0, 0, 0, 0, 600, true);
  }

  private static StoredObject plain() {
    return object(new DefaultHttpHeaders()
        .add(HttpHeaderNames.DATE, "Mon, 02 Nov 2026 08:30:00 GMT")
        .add("Content-Type", "text/css")
        .add("ETag", "\"v1\"")
        .add("Content-Length", "21")
        .add("Cache-Control", "max-age=600"));
  }

  private static HttpResponse shared(StoredObject object, HttpResponseStatus status, String length,
      @Nullable String contentRange, @Nullable CharSequence connection) {
    return StoredHeads.shared(status, object.replay().pairs(), length, contentRange, "8", HIT, VIA, connection);
  }

  @Test
  void get_200() {
    assertThat(encode("GET / HTTP/1.1", shared(plain(), HttpResponseStatus.OK, "21", null, null)))
        .isEqualTo("HTTP/1.1 200 OK\r\n" + STORED + "content-length: 21\r\nage: 8\r\ncache-status: " + HIT
            + "\r\nvia: " + VIA + "\r\n\r\n");
  }

  @Test
  void range_206() {
    HttpResponse head = shared(plain(), HttpResponseStatus.PARTIAL_CONTENT, "4", "bytes 2-5/21", null);

    assertThat(encode("GET / HTTP/1.1", head)).isEqualTo("HTTP/1.1 206 Partial Content\r\n" + STORED
        + "content-length: 4\r\ncontent-range: bytes 2-5/21\r\nage: 8\r\ncache-status: " + HIT + "\r\nvia: " + VIA
        + "\r\n\r\n");
  }

  @Test
  void head_sameFieldsAsGet() {
    assertThat(encode("HEAD / HTTP/1.1", shared(plain(), HttpResponseStatus.OK, "21", null, null)))
        .isEqualTo("HTTP/1.1 200 OK\r\n" + STORED + "content-length: 21\r\nage: 8\r\ncache-status: " + HIT
            + "\r\nvia: " + VIA + "\r\n\r\n");
  }

  @Test
  void http10_connectionLast() {
    HttpResponse keepAlive = shared(plain(), HttpResponseStatus.OK, "21", null, HttpHeaderValues.KEEP_ALIVE);
    HttpResponse close = shared(plain(), HttpResponseStatus.OK, "21", null, HttpHeaderValues.CLOSE);

    String fields = "content-length: 21\r\nage: 8\r\ncache-status: " + HIT + "\r\nvia: " + VIA + "\r\n";
    assertThat(encode("GET / HTTP/1.0", keepAlive))
        .isEqualTo("HTTP/1.1 200 OK\r\n" + STORED + fields + "connection: keep-alive\r\n\r\n");
    assertThat(encode("GET / HTTP/1.0", close))
        .isEqualTo("HTTP/1.1 200 OK\r\n" + STORED + fields + "connection: close\r\n\r\n");
  }

  @Test
  void storedFieldsTheAnswerSets_sameBytesAsTheCopy() {
    StoredObject object = object(new DefaultHttpHeaders()
        .add("AGE", "4")
        .add("Content-Type", "text/css")
        .add("Via", "1.0 upstream")
        .add("content-length", "99")
        .add("Link", "</a.css>; rel=preload")
        .add("Cache-Status", "upstream; hit")
        .add("Link", "</b.js>; rel=preload")
        .add("Content-Length", "99")
        .add("X-Empty", ""));
    ByteRange full = ByteRange.of(null, 21);
    ByteRange part = ByteRange.of("bytes=2-5", 21);
    ByteRange beyond = ByteRange.of("bytes=100-", 21);

    for (CharSequence connection : new CharSequence[] {null, HttpHeaderValues.CLOSE, HttpHeaderValues.KEEP_ALIVE}) {
      assertSameAsCopy(object, HttpResponseStatus.OK, full, "21", null, connection);
      assertSameAsCopy(object, HttpResponseStatus.PARTIAL_CONTENT, part, "4", "bytes 2-5/21", connection);
      assertSameAsCopy(object, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, beyond, "0", "bytes */21",
          connection);
    }
  }

  private static void assertSameAsCopy(StoredObject object, HttpResponseStatus status, ByteRange range,
      String length, @Nullable String contentRange, @Nullable CharSequence connection) {
    HttpResponse copy = StoredHeads.copied(object, status, range, 8, HIT);
    copy.headers().add(HttpHeaderNames.VIA, VIA); // as ClientRequest.prepareHead completes it
    if (connection != null) {
      copy.headers().set(HttpHeaderNames.CONNECTION, connection);
    }
    String expected = encode("GET / HTTP/1.1", copy);

    assertThat(encode("GET / HTTP/1.1", shared(object, status, length, contentRange, connection)))
        .as("%s, Connection: %s", status, connection).isEqualTo(expected);
  }

  /** The bytes {@code HttpServerCodec} writes for {@code head}, answering a request with {@code requestLine}. */
  private static String encode(String requestLine, HttpResponse head) {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec());
    try {
      channel.writeInbound(Unpooled.copiedBuffer(requestLine + "\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
      Object request;
      while ((request = channel.readInbound()) != null) {
        ReferenceCountUtil.release(request);
      }
      channel.writeOutbound(head);
      ByteBuf bytes = channel.readOutbound();
      try {
        return bytes.toString(StandardCharsets.US_ASCII);
      } finally {
        bytes.release();
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
