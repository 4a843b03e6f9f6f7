package fr.acclermont.gateway.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Removes the headers that belong to one connection only (RFC 9110 7.6.1): the standard hop-by-hop
 * fields and any field named in {@code Connection}. Applied to requests before they go to the origin
 * and to responses before they go to the client.
 *
 * <p>A field that frames the message ({@code Content-Length}, {@code Transfer-Encoding}) or names its
 * target ({@code Host}) is never removed because {@code Connection} names it: the message was read
 * by that framing, and dropping it would send the body unframed (a request whose body the origin
 * reads as the next request, a response the client cannot delimit). The server's
 * {@code RequestGuard} refuses such a request before it gets here; a response keeps its
 * {@code Content-Length} (its {@code Transfer-Encoding} goes as a standard hop-by-hop field and the
 * body is chunked again).
 */
public final class HopByHopHeaders {

  private static final List<AsciiString> STANDARD = List.of(
      HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
      HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION);

  /** The fields {@code Connection} may not make hop-by-hop. */
  private static final List<AsciiString> FRAMING = List.of(
      HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.HOST);

  private HopByHopHeaders() {
  }

  /** Strips hop-by-hop fields from {@code headers} in place. */
  public static void strip(HttpHeaders headers) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String name : connection.split(",")) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty() && framingField(trimmed) == null) {
          headers.remove(trimmed);
        }
      }
    }
    for (AsciiString name : STANDARD) {
      headers.remove(name);
    }
  }

  /**
   * The first framing field ({@code Content-Length}, {@code Transfer-Encoding}, {@code Host}) that a
   * {@code Connection} field of {@code headers} names, in any case and on any of its lines; null if none.
   */
  public static @Nullable AsciiString framingFieldNamed(HttpHeaders headers) {
    if (!headers.contains(HttpHeaderNames.CONNECTION)) {
      return null;
    }
    // Scanned in place, without splitting: it runs on every request that sends Connection (most do).
    Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
    while (values.hasNext()) {
      CharSequence value = values.next();
      int length = value.length();
      for (int start = 0; start <= length; ) {
        int comma = start;
        while (comma < length && value.charAt(comma) != ',') {
          comma++;
        }
        int from = start;
        int to = comma;
        while (from < to && isOws(value.charAt(from))) {
          from++;
        }
        while (to > from && isOws(value.charAt(to - 1))) {
          to--;
        }
        for (int i = 0; i < FRAMING.size(); i++) { // indexed: no iterator per request
          AsciiString framing = FRAMING.get(i);
          if (to - from == framing.length() && regionMatchesIgnoreCase(value, from, framing)) {
            return framing;
          }
        }
        start = comma + 1;
      }
    }
    return null;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean regionMatchesIgnoreCase(CharSequence value, int from, AsciiString name) {
    for (int i = 0; i < name.length(); i++) {
      if (Character.toLowerCase(value.charAt(from + i)) != name.charAt(i)) { // the names are lower case
        return false;
      }
    }
    return true;
  }

  private static @Nullable AsciiString framingField(String name) {
    for (AsciiString framing : FRAMING) {
      if (framing.contentEqualsIgnoreCase(name)) {
        return framing;
      }
    }
    return null;
  }
}
