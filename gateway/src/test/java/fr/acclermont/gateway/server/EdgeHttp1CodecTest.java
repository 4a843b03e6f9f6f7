package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EdgeHttp1Codec} and its {@link EdgeRequestDecoder}: the header names browsers send are
 * shared constants, and otherwise the codec decodes and encodes exactly as Netty's
 * {@link HttpServerCodec} with the same configuration (HEAD, 1xx, 204, 304, CONNECT, pipelining,
 * request smuggling, bad names, pipeline depth).
 */
class EdgeHttp1CodecTest {

  private static final String BROWSER_GET = "GET /books/maths.css HTTP/1.1\r\n"
      + "Host: gateway.school.example\r\n"
      + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
      + "Accept: text/css,*/*;q=0.1\r\n"
      + "Accept-Language: fr-FR,fr;q=0.8\r\n"
      + "Accept-Encoding: gzip, deflate, br\r\n"
      + "Referer: http://gateway.school.example/books/\r\n"
      + "sec-ch-ua: \"Chromium\";v=\"128\"\r\n"
      + "Sec-Fetch-Mode: no-cors\r\n"
      + "Connection: keep-alive\r\n"
      + "\r\n";

  private static HttpDecoderConfig config() {
    return new HttpDecoderConfig().setAllowDuplicateContentLengths(false).setStrictLineParsing(true);
  }

  /**
   * {@link EdgeHttp1Codec} repeats what {@code HttpServerCodec} of this Netty version adds to its
   * decoder and encoder: on an upgrade, compare the two (Netty's fixes to that wrapper do not reach
   * us by themselves), then change the version here.
   */
  @Test
  void nettyIsTheVersionTheCodecWasCheckedAgainst() {
    assertThat(Version.identify().get("netty-codec-http").artifactVersion())
        .as("EdgeHttp1Codec checked against HttpServerCodec of this version").isEqualTo("4.2.18.Final");
  }

  @Test
  void browserHeaderNames_areSharedConstants_withTheirValuesIntact() {
    EmbeddedChannel channel = new EmbeddedChannel(new EdgeHttp1Codec(config()));
    channel.writeInbound(ascii(BROWSER_GET + BROWSER_GET));
    HttpRequest first = nextRequest(channel);
    HttpRequest second = nextRequest(channel);

    assertThat(first.decoderResult().isSuccess()).isTrue();
    List<Map.Entry<CharSequence, CharSequence>> firstHeaders = entries(first);
    List<Map.Entry<CharSequence, CharSequence>> secondHeaders = entries(second);
    assertThat(firstHeaders).hasSize(9);
    for (int i = 0; i < firstHeaders.size(); i++) {
      assertThat(secondHeaders.get(i).getKey()).as("name %s", firstHeaders.get(i).getKey())
          .isSameAs(firstHeaders.get(i).getKey());
    }
    assertThat(firstHeaders).extracting(e -> e.getKey().toString()).containsExactly("Host", "User-Agent", "Accept",
        "Accept-Language", "Accept-Encoding", "Referer", "sec-ch-ua", "Sec-Fetch-Mode", "Connection");
    assertThat(first.headers().get(HttpHeaderNames.USER_AGENT))
        .isEqualTo("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    assertThat(first.headers().get("SEC-CH-UA")).isEqualTo("\"Chromium\";v=\"128\"");
    assertThat(first.headers().get(HttpHeaderNames.REFERER)).isEqualTo("http://gateway.school.example/books/");
    channel.finishAndReleaseAll();
  }

  @Test
  void aNameInAnotherCaseOrUnknown_decodesAsReceived() {
    EmbeddedChannel channel = new EmbeddedChannel(new EdgeHttp1Codec(config()));
    channel.writeInbound(ascii("GET / HTTP/1.1\r\nhOST: t\r\nuser-agent: curl/8\r\nX-Teacher-Tool: board 2\r\n"
        + "If-None-Match: \"v1\"\r\n\r\n"));
    HttpRequest request = nextRequest(channel);

    assertThat(entries(request)).extracting(e -> e.getKey().toString() + "=" + e.getValue())
        .containsExactly("hOST=t", "user-agent=curl/8", "X-Teacher-Tool=board 2", "If-None-Match=\"v1\"");
    assertThat(request.headers().get(HttpHeaderNames.HOST)).isEqualTo("t");
    AsciiString lowerCase = EdgeRequestDecoder.known(bytes("xuser-agent"), 1, 10);
    assertThat((Object) lowerCase).isEqualTo(AsciiString.of("user-agent"));
    assertThat((Object) EdgeRequestDecoder.known(bytes("Host"), 0, 3)).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void decodesAsNettysCodec_includingWhatItRefuses() {
    String[] inputs = {
        BROWSER_GET,
        "GET / HTTP/1.1\r\nHost : t\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n",
        "GET / HTTP/1.1\r\nUser-Agent:\r\nAccept:   a  \r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n1\r\na\r\n0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nX-Bad\u0001: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nReferer: a\nb\r\n\r\n",
        "GET / HTTP/1.1\r\n Host: t\r\n\r\n",
    };
    for (String input : inputs) {
      assertThat(decode(new EdgeHttp1Codec(config()), input)).as(input)
          .isEqualTo(decode(new HttpServerCodec(config()), input));
    }
  }

  @Test
  void encodesAsNettysCodec_headPipelinedInterimAndEmptyResponses() {
    String requests = "GET /a HTTP/1.1\r\nHost: t\r\n\r\nHEAD /b HTTP/1.1\r\nHost: t\r\n\r\n"
        + "GET /c HTTP/1.1\r\nHost: t\r\n\r\nCONNECT t:443 HTTP/1.1\r\nHost: t\r\n\r\n"
        + "GET /e HTTP/1.1\r\nHost: t\r\n\r\n";
    assertThat(exchange(new EdgeHttp1Codec(config()), requests))
        .isEqualTo(exchange(new HttpServerCodec(config()), requests))
        .contains("HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nHTTP/1.1 204");
  }

  @Test
  void chunkedWithALength_closesOrNotAfterTheResponse_asNettysCodec() {
    String request = "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n";
    assertThat(openAfterResponse(new EdgeHttp1Codec(config()), request))
        .isEqualTo(openAfterResponse(new HttpServerCodec(config()), request));
  }

  @Test
  void tooManyPipelinedRequests_failAndCloseAfterTheResponse() {
    EmbeddedChannel channel = new EmbeddedChannel(new EdgeHttp1Codec(config()));
    String get = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    assertThatThrownBy(() -> channel.writeInbound(ascii(get.repeat(EdgeHttp1Codec.MAX_PIPELINE_DEPTH + 1))))
        .hasRootCauseInstanceOf(IllegalStateException.class).hasMessageContaining("maxPipelineDepth exceeded");
    int requests = 0;
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      requests += msg instanceof HttpRequest ? 1 : 0;
      ReferenceCountUtil.release(msg);
    }
    assertThat(requests).isEqualTo(EdgeHttp1Codec.MAX_PIPELINE_DEPTH);
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }

  /** Whether the connection is open once the response to {@code request} is sent. */
  private static boolean openAfterResponse(ChannelHandler codec, String request) {
    EmbeddedChannel channel = new EmbeddedChannel(codec);
    channel.writeInbound(ascii(request));
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      ReferenceCountUtil.release(msg);
    }
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    boolean open = channel.isOpen();
    channel.finishAndReleaseAll();
    return open;
  }

  /** The next request decoded; the contents before it released. */
  private static HttpRequest nextRequest(EmbeddedChannel channel) {
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      if (msg instanceof HttpRequest request) {
        return request;
      }
      ReferenceCountUtil.release(msg);
    }
    throw new AssertionError("no request decoded");
  }

  /** Answers {@code requests} (a 103 then 200 with a body, 204, 304, 200 to CONNECT, 200): the bytes sent. */
  private static String exchange(ChannelHandler codec, String requests) {
    EmbeddedChannel channel = new EmbeddedChannel(codec);
    channel.writeInbound(ascii(requests));
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      ReferenceCountUtil.release(msg);
    }
    channel.writeOutbound(withBody(HttpResponseStatus.OK));
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.EARLY_HINTS));
    channel.writeOutbound(withBody(HttpResponseStatus.OK)); // to HEAD: no body
    channel.writeOutbound(withBody(HttpResponseStatus.NO_CONTENT));
    DefaultHttpResponse tunnel = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    tunnel.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    channel.writeOutbound(tunnel, LastHttpContent.EMPTY_LAST_CONTENT);
    channel.writeOutbound(withBody(HttpResponseStatus.NOT_MODIFIED));
    StringBuilder sent = new StringBuilder();
    for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
      if (msg instanceof ByteBuf bytes) {
        sent.append(bytes.toString(StandardCharsets.ISO_8859_1));
      }
      ReferenceCountUtil.release(msg);
    }
    channel.finishAndReleaseAll();
    return sent.toString();
  }

  private static DefaultFullHttpResponse withBody(HttpResponseStatus status) {
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer("hello", StandardCharsets.ISO_8859_1));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
    return response;
  }

  /** What {@code codec} decodes from {@code input}, each message as a string, failures included. */
  private static List<String> decode(ChannelHandler codec, String input) {
    EmbeddedChannel channel = new EmbeddedChannel(codec);
    channel.writeInbound(ascii(input));
    List<String> decoded = new ArrayList<>();
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      if (msg instanceof HttpRequest request) {
        decoded.add(request.method() + " " + request.uri() + " " + entries(request) + " " + request.decoderResult());
      }
      if (msg instanceof HttpContent content) {
        decoded.add(content.getClass().getSimpleName() + " " + content.content().toString(StandardCharsets.ISO_8859_1)
            + " " + content.decoderResult());
      }
      ReferenceCountUtil.release(msg);
    }
    channel.finishAndReleaseAll();
    return decoded;
  }

  private static List<Map.Entry<CharSequence, CharSequence>> entries(HttpRequest request) {
    List<Map.Entry<CharSequence, CharSequence>> entries = new ArrayList<>();
    request.headers().iteratorCharSequence().forEachRemaining(entries::add);
    return entries;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }
}
