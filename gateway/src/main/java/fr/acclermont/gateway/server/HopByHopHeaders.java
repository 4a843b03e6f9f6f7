package fr.acclermont.gateway.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Removes the headers that belong to one connection only (RFC 9110 7.6.1): the standard hop-by-hop
 * fields and any field named in {@code Connection}. Applied to requests before they go to the origin
 * and to responses before they go to the client.
 */
public final class HopByHopHeaders {

  private static final List<AsciiString> STANDARD = List.of(
      HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
      HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION);

  private HopByHopHeaders() {
  }

  /** Strips hop-by-hop fields from {@code headers} in place. */
  public static void strip(HttpHeaders headers) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String name : connection.split(",")) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty()) {
          headers.remove(trimmed);
        }
      }
    }
    for (AsciiString name : STANDARD) {
      headers.remove(name);
    }
  }
}
