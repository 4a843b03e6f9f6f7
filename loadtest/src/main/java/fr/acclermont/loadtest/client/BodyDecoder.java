package fr.acclermont.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a body sent with a {@code Content-Encoding} as it streams, so its identity bytes can be
 * checked against the content they must be, as a browser would decode them: Netty's own decoders
 * for {@code gzip} (which checks the gzip trailer's CRC-32 and length) and {@code br}.
 *
 * <p>Decoding rather than comparing the encoded bytes with a local encoding of the content: the
 * encoded bytes depend on the zlib build (a JDK on Debian uses the system's), so a load generator
 * on another machine would see "corrupt" bodies that are the origin's exact bytes.
 *
 * <p>One per response, on its connection's event loop. Owns an {@link EmbeddedChannel}: call
 * {@link #close()} once the response ended, however it ended, to release what it holds.
 */
final class BodyDecoder {

  private final String coding;
  private final EmbeddedChannel channel;

  private BodyDecoder(String coding, ChannelHandler decoder) {
    this.coding = coding;
    this.channel = new EmbeddedChannel(decoder);
  }

  /** Returns a decoder of {@code contentEncoding}, or {@code null} if it is not gzip or (when brotli loads) br. */
  static @Nullable BodyDecoder of(String contentEncoding) {
    String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
    return switch (coding) {
      case "gzip", "x-gzip" -> new BodyDecoder(coding, ZlibCodecFactory.newZlibDecoder(ZlibWrapper.GZIP));
      case "br" -> Brotli.isAvailable() ? new BodyDecoder(coding, new BrotliDecoder()) : null;
      default -> null;
    };
  }

  /**
   * Decodes {@code piece} (left untouched: the decoder reads a retained duplicate) and hands each
   * decoded buffer to {@code sink}, which must not keep it; stops at the first non-null answer of
   * {@code sink}, or with a failure if the bytes are not valid in this coding.
   */
  <T> @Nullable T decode(ByteBuf piece, Function<ByteBuf, @Nullable T> sink, Function<String, T> invalid) {
    try {
      channel.writeInbound(piece.retainedDuplicate());
    } catch (RuntimeException e) {
      return invalid.apply("not valid " + coding + ": " + e.getMessage());
    }
    return drain(sink);
  }

  /** Ends the input, handing the last decoded bytes to {@code sink}. */
  <T> @Nullable T finish(Function<ByteBuf, @Nullable T> sink, Function<String, T> invalid) {
    try {
      channel.finish();
    } catch (RuntimeException e) {
      return invalid.apply("not valid " + coding + " at its end: " + e.getMessage());
    }
    return drain(sink);
  }

  /** Releases everything the decoder still holds. Idempotent. */
  void close() {
    try {
      channel.finishAndReleaseAll();
    } catch (RuntimeException e) {
      // An error of the stream already reported by decode() or finish(); the buffers are released.
    }
  }

  private <T> @Nullable T drain(Function<ByteBuf, @Nullable T> sink) {
    for (ByteBuf decoded = channel.readInbound(); decoded != null; decoded = channel.readInbound()) {
      try {
        T answer = sink.apply(decoded);
        if (answer != null) {
          return answer;
        }
      } finally {
        decoded.release();
      }
    }
    return null;
  }
}
