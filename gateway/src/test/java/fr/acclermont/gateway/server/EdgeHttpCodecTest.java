package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link EdgeHttpCodec} does what Netty's {@code HttpServerCodec} does, run side by side on the
 * same input (HEAD, CONNECT, interim answers, pipelining, a smuggling attempt), and shares the
 * usual header names without changing how they are spelt.
 */
class EdgeHttpCodecTest {

  private static final Supplier<ChannelHandler> EDGE = () -> new EdgeHttpCodec(new HttpDecoderConfig());
  private static final Supplier<ChannelHandler> NETTY = HttpServerCodec::new;

  @Test
  void usualNames_sharedAcrossRequests_spellingKept() {
    String request = "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: x\r\nuser-agent: y\r\nSec-Fetch-Mode: cors\r\n"
        + "X-Own: z\r\n\r\n";
    HttpHeaders first = decode(request);
    HttpHeaders second = decode(request);

    List<String> names = new ArrayList<>();
    first.iteratorCharSequence().forEachRemaining(field -> names.add(field.getKey().toString()));
    assertThat(names).containsExactly("Host", "User-Agent", "user-agent", "Sec-Fetch-Mode", "X-Own");
    assertThat(name(first, 1)).isSameAs(name(second, 1)).isSameAs(RequestHeaderNames.find(
        "User-Agent".getBytes(StandardCharsets.US_ASCII), 0, 10));
    assertThat(name(first, 2)).as("another spelling: copied, as Netty does").isNotSameAs(name(second, 2));
    assertThat(name(first, 4)).isNotSameAs(name(second, 4));
    assertThat(first.getAll("user-agent")).containsExactly("x", "y");
  }

  @Test
  void head_answerWithoutBody() {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
    sameAsNetty("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", () -> List.of(
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, head.headers().copy()),
        Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), LastHttpContent.EMPTY_LAST_CONTENT));
  }

  @Test
  void pipelinedGetAfterHead_eachAnsweredByItsMethod() {
    sameAsNetty("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", () -> List.of(
        full(HttpResponseStatus.OK, "first"), full(HttpResponseStatus.OK, "second")));
  }

  @Test
  void interimAnswer_doesNotTakeTheRequestsTurn() {
    sameAsNetty("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", () -> List.of(
        full(HttpResponseStatus.CONTINUE, ""), full(HttpResponseStatus.OK, "body")));
  }

  @Test
  void connect2xx_noTransferEncoding() {
    sameAsNetty("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", () -> {
      HttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      ok.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
      return List.of(ok);
    });
  }

  @Test
  void contentLengthAndTransferEncoding_sameAsNetty() {
    // Netty 4.2 refuses it as it decodes it (a failed decoder result, which RequestGuard answers).
    sameAsNetty("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        () -> List.of(full(HttpResponseStatus.BAD_REQUEST, "no")));
  }

  @Test
  void overMaximumPipelined_refusedAsNetty() {
    String one = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    for (Supplier<ChannelHandler> codec : List.of(EDGE, NETTY)) {
      EmbeddedChannel channel = new EmbeddedChannel(codec.get());
      assertThatThrownBy(() -> readAll(channel, one.repeat(EdgeHttpCodec.MAX_PIPELINE_DEPTH + 1)))
          .hasMessageContaining("maxPipelineDepth exceeded: 128");
      channel.finishAndReleaseAll();
    }
  }

  /** The bytes both codecs write for the same answers to the same requests are the same. */
  private static void sameAsNetty(String requests, Supplier<List<Object>> answers) {
    assertThat(exchange(EDGE.get(), requests, answers.get())).isEqualTo(exchange(NETTY.get(), requests, answers.get()));
  }

  private static String exchange(ChannelHandler codec, String requests, List<Object> answers) {
    EmbeddedChannel channel = new EmbeddedChannel(codec);
    try {
      readAll(channel, requests);
      answers.forEach(channel::write);
      channel.flush();
      channel.runPendingTasks();
      StringBuilder out = new StringBuilder(channel.isOpen() ? "open|" : "closed|");
      for (Object written; (written = channel.readOutbound()) != null; ) {
        out.append(((ByteBuf) written).toString(StandardCharsets.US_ASCII)).append('|');
        ReferenceCountUtil.release(written);
      }
      return out.toString();
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static HttpResponse full(HttpResponseStatus status, String body) {
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length());
    return response;
  }

  private static HttpHeaders decode(String request) {
    EmbeddedChannel channel = new EmbeddedChannel(EDGE.get());
    try {
      channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
      HttpRequest decoded = channel.readInbound();
      return decoded.headers();
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static CharSequence name(HttpHeaders headers, int index) {
    var fields = headers.iteratorCharSequence();
    Map.Entry<CharSequence, CharSequence> field = fields.next();
    for (int i = 0; i < index; i++) {
      field = fields.next();
    }
    return field.getKey();
  }

  private static void readAll(EmbeddedChannel channel, String input) {
    channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.US_ASCII));
    for (Object read; (read = channel.readInbound()) != null; ) {
      ReferenceCountUtil.release(read);
    }
  }
}
