package fr.acclermont.gateway.prefetch;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the body of a list or a manifest as the origin sent it ({@code Content-Encoding}: none,
 * {@code identity}, {@code gzip}, {@code deflate} or {@code br}), up to a size, so that a stored
 * variant compressed for the tablets can be read. Stateless; blocking: the prefetch's thread only.
 */
final class Bodies {

  private Bodies() {}

  /**
   * The decoded bytes of {@code body}.
   *
   * @throws IOException if the coding is unknown or unavailable (brotli without its native library),
   *     the body is damaged, or it decodes to more than {@code maxBytes}
   */
  static byte[] decode(byte[] body, @Nullable String contentEncoding, int maxBytes) throws IOException {
    String coding = contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
    InputStream in = new ByteArrayInputStream(body);
    switch (coding) {
      case "", "identity" -> {
        if (body.length > maxBytes) {
          throw new IOException("more than " + maxBytes + " bytes");
        }
        return body;
      }
      case "gzip", "x-gzip" -> in = new GZIPInputStream(in);
      case "deflate" -> in = new InflaterInputStream(in);
      case "br" -> {
        if (!Brotli4jLoader.isAvailable()) {
          throw new IOException("stored brotli-compressed, and brotli is not available in this JVM");
        }
        in = new BrotliInputStream(in);
      }
      default -> throw new IOException("stored with Content-Encoding " + contentEncoding + ", which cannot be read");
    }
    try (InputStream decoding = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, body.length * 4 + 64));
      byte[] buffer = new byte[16 * 1024];
      for (int n; (n = decoding.read(buffer)) > 0; ) {
        if (out.size() + n > maxBytes) {
          throw new IOException("more than " + maxBytes + " bytes once decoded");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }
}
