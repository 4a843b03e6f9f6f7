package fr.acclermont.gateway.demo;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The test hooks of the query string that shape the upload sink's answer to a method other than
 * GET and HEAD on {@code /blobs/...}: what a test of invalidation (RFC 9111 4.4) needs the origin
 * to say. A GET or HEAD of the same URL ignores them, so a stored copy and the request that should
 * (or should not) invalidate it share one URL.
 *
 * @param status the {@code upload-status} value: the receipt's status, 200 by default
 * @param location the {@code location} value, sent as {@code Location}, or {@code null}
 * @param contentLocation the {@code content-location} value, sent as {@code Content-Location},
 *     or {@code null}
 */
record UploadHooks(HttpResponseStatus status, String location, String contentLocation) {

  /**
   * Reads the hooks of a query.
   *
   * @throws IllegalArgumentException naming the malformed parameter
   */
  static UploadHooks parse(QueryParameters query) {
    return new UploadHooks(
        HttpResponseStatus.valueOf((int) query.number("upload-status", 200, 599, 200)),
        query.string("location"),
        query.string("content-location"));
  }

  /** Returns the SHA-256 of the readable bytes of an upload, in hex: what the receipt reports. */
  static String sha256(io.netty.buffer.ByteBuf content) {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      digest.update(content.nioBuffer());
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds the headers the hooks ask for. */
  void apply(HttpHeaders headers) {
    if (location != null) {
      headers.set(HttpHeaderNames.LOCATION, location);
    }
    if (contentLocation != null) {
      headers.set(HttpHeaderNames.CONTENT_LOCATION, contentLocation);
    }
  }
}
