package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ChunkExtensionLimit} in front of the codec it watches: whatever the reads' boundaries, the
 * codec decodes exactly what it decodes alone, until a body's chunk extensions go over 4 KiB.
 */
class ChunkExtensionLimitTest {

  /** Pipelined requests of every framing: none, a length, chunked with extensions and trailers. */
  private static final String STREAM = "\r\nGET /a HTTP/1.1\r\nHost: t\r\n\r\n"
      + "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\n\r\n;;;;\r\n\r\n\r\n\r\n;;;;;;;;"
      + "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "0005;a=\"x;y\"\r\nhe\r\n;\r\n" + ("1;" + "e".repeat(1000) + "\r\n;\r\n").repeat(4) + "0;z\r\nX-T: 1\r\n\r\n"
      + "GET /d HTTP/1.1\r\nHost: t\r\n\r\n";

  /** Decodes {@code raw} fed in reads of {@code readSize} bytes; each message as a short string. */
  private static List<String> decode(String raw, int readSize, boolean limited) {
    HttpServerCodec codec = new HttpServerCodec(new HttpDecoderConfig().setStrictLineParsing(true));
    ChunkExtensionLimit limit = new ChunkExtensionLimit();
    EmbeddedChannel channel = limited ? new EmbeddedChannel(limit, codec, limit.observer()) : new EmbeddedChannel(codec);
    byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.length; i += readSize) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(readSize, bytes.length - i)));
    }
    List<String> messages = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      if (msg instanceof HttpRequest request) {
        messages.add(request.method() + " " + request.uri() + (request.decoderResult().isFailure() ? " failed" : ""));
      }
      if (msg instanceof HttpContent content) {
        body.append(content.content().toString(StandardCharsets.ISO_8859_1));
        if (content.decoderResult().isFailure()) {
          messages.add("failed: " + content.decoderResult().cause().getMessage());
        } else if (content instanceof LastHttpContent) {
          messages.add("body " + body);
          body.setLength(0);
        }
      }
      ReferenceCountUtil.release(msg);
    }
    channel.finishAndReleaseAll();
    return messages;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64, 1000, 100_000})
  void underTheLimit_decodedAsWithoutIt(int readSize) {
    assertThat(decode(STREAM, readSize, true)).isEqualTo(decode(STREAM, 100_000, false))
        .containsExactly("GET /a", "body ", "POST /b", "body ;;;;\r\n\r\n\r\n\r\n;;;;;;;;", "POST /c", "body he\r\n;;;;;",
            "GET /d", "body ");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 100_000})
  void overTheLimit_failedAndNothingMoreDecoded(int readSize) {
    String raw = "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        + ("1;" + "e".repeat(1400) + "\r\nx\r\n").repeat(3) + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";

    List<String> messages = decode(raw, readSize, true);

    assertThat(messages).first().isEqualTo("POST /c");
    assertThat(messages).last().asString().startsWith("failed: chunk extensions over 4096 bytes");
    assertThat(messages).noneMatch(m -> m.contains("smuggled"));
  }
}
