package fr.acclermont.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import org.jspecify.annotations.Nullable;

/**
 * Checks one response against its request while it streams: the status, the framing headers,
 * the body length and, with a {@link BodyVerifier}, the bytes. Nothing of the body is kept.
 *
 * <p>A body with a {@code Content-Encoding} (gzip or br, as a CDN sends text) is decoded as it
 * arrives ({@link BodyDecoder}): its framing is checked in encoded bytes ({@code Content-Length}),
 * its decoded bytes against the resource's size and verifier, exactly as an identity body's.
 * {@link #received()} counts the bytes that crossed the network. A range of an encoded body is
 * refused: its bytes cannot be checked against the content. Call {@link #release()} once the
 * exchange ended.
 *
 * <p>Each step returns {@code null} to go on, or the {@link Failure} to stop at (the first problem
 * wins). Pure over the HTTP messages it is given, so it is tested without sockets. One per
 * exchange; not thread-safe.
 */
final class ResponseCheck {

  /** Why a response is rejected. */
  record Failure(ErrorKind kind, String detail) {}

  private final RequestSpec spec;
  private boolean headSeen;
  private boolean keepAlive;
  private int status;
  /** The body length the headers (or, without {@code Content-Length}, the catalog) promise; -1 if unknown. */
  private long expectedBytes = -1;
  /** Where the body starts in the whole resource: the first byte of the range, 0 for a whole body. */
  private long bodyOffset;
  private long received;
  /** Decodes an encoded body, or null for an identity one. */
  private @Nullable BodyDecoder decoder;
  /** Identity bytes decoded so far from an encoded body. */
  private long decoded;

  ResponseCheck(RequestSpec spec) {
    this.spec = spec;
  }

  /** Checks the status line and headers. */
  @Nullable Failure onHead(HttpResponse response) {
    headSeen = true;
    status = response.status().code();
    keepAlive = HttpUtil.isKeepAlive(response);
    long contentLength = HttpUtil.getContentLength(response, -1L);
    long size = spec.resourceSize();
    RangeSpec range = spec.range();
    String coding = response.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    boolean encoded = coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity");
    if (range == null) {
      if (status != 200) {
        return new Failure(ErrorKind.STATUS, "status " + status + " (expected: 200)");
      }
      if (encoded) {
        decoder = BodyDecoder.of(coding);
        if (decoder == null) {
          return new Failure(ErrorKind.CORRUPT, "Content-Encoding " + coding + " (expected: gzip, br or none)");
        }
        expectedBytes = contentLength;
        return null;
      }
      if (size >= 0 && contentLength >= 0 && contentLength != size) {
        return new Failure(ErrorKind.CORRUPT, "Content-Length " + contentLength + " (expected: " + size + ")");
      }
      expectedBytes = contentLength >= 0 ? contentLength : size;
      return null;
    }
    if (status != 206) {
      return new Failure(ErrorKind.STATUS, "status " + status + " to Range " + range.header() + " (expected: 206)");
    }
    if (encoded) {
      return new Failure(ErrorKind.CORRUPT, "206 with Content-Encoding " + coding
          + " to Range " + range.header() + " (expected: a range of the identity bytes)");
    }
    String header = response.headers().get(HttpHeaderNames.CONTENT_RANGE);
    ContentRange contentRange = ContentRange.parse(header);
    if (contentRange == null) {
      return new Failure(ErrorKind.STATUS, "206 with Content-Range " + header + " (expected: bytes first-last/total)");
    }
    boolean asked = size >= 0
        ? contentRange.total() == size && contentRange.first() == range.firstIn(size)
            && contentRange.last() == range.lastIn(size)
        : range.suffixLength() >= 0 || contentRange.first() == range.first();
    if (!asked) {
      return new Failure(ErrorKind.CORRUPT, "Content-Range " + header + " to Range " + range.header()
          + (size >= 0 ? " of a " + size + "-byte resource" : ""));
    }
    if (contentLength >= 0 && contentLength != contentRange.length()) {
      return new Failure(ErrorKind.SHORT_BODY,
          "Content-Length " + contentLength + " disagrees with Content-Range " + header);
    }
    expectedBytes = contentRange.length();
    bodyOffset = contentRange.first();
    return null;
  }

  /** Counts and verifies a piece of the body. Leaves {@code content} untouched. */
  @Nullable Failure onContent(ByteBuf content) {
    int length = content.readableBytes();
    if (length == 0) {
      return null;
    }
    long offset = bodyOffset + received;
    received += length;
    if (expectedBytes >= 0 && received > expectedBytes) {
      return new Failure(ErrorKind.CORRUPT, "more than the " + expectedBytes + " body bytes expected");
    }
    if (decoder != null) {
      return decoder.decode(content, this::onDecoded, ResponseCheck::undecodable);
    }
    return verify(content, offset);
  }

  /** Counts and verifies identity bytes decoded from an encoded body. */
  private @Nullable Failure onDecoded(ByteBuf piece) {
    long offset = decoded;
    decoded += piece.readableBytes();
    long size = spec.resourceSize();
    if (size >= 0 && decoded > size) {
      return new Failure(ErrorKind.CORRUPT, "decodes to more than the " + size + " bytes of the resource");
    }
    return verify(piece, offset);
  }

  private static Failure undecodable(String detail) {
    return new Failure(ErrorKind.CORRUPT, detail);
  }

  /** Checks the bytes of {@code content} against the verifier, if any, at {@code offset} of the resource. */
  private @Nullable Failure verify(ByteBuf content, long offset) {
    int length = content.readableBytes();
    if (length == 0) {
      return null;
    }
    BodyVerifier verifier = spec.verifier();
    if (verifier != null && !verifier.matches(content, offset)) {
      return new Failure(ErrorKind.CORRUPT,
          "bytes " + offset + "-" + (offset + length - 1) + " differ from the expected content");
    }
    return null;
  }

  /** Checks the body's length once its framing says it ended. */
  @Nullable Failure onEnd() {
    if (expectedBytes >= 0 && received < expectedBytes) {
      return new Failure(ErrorKind.SHORT_BODY, "body ended after " + received + " of " + expectedBytes + " bytes");
    }
    if (decoder != null) {
      Failure failure = decoder.finish(this::onDecoded, ResponseCheck::undecodable);
      long size = spec.resourceSize();
      if (failure == null && size >= 0 && decoded != size) {
        failure = new Failure(ErrorKind.CORRUPT, "decodes to " + decoded + " bytes (expected: " + size + ")");
      }
      return failure;
    }
    return null;
  }

  /** Releases what decoding an encoded body holds; idempotent. Call once the exchange ended. */
  void release() {
    if (decoder != null) {
      decoder.close();
    }
  }

  /** Classifies the connection closing cleanly before the response ended. */
  Failure onClose() {
    if (!headSeen) {
      return new Failure(ErrorKind.RESET, "connection closed before a response");
    }
    return new Failure(ErrorKind.SHORT_BODY, "connection closed after " + received + " of "
        + (expectedBytes >= 0 ? expectedBytes : "?") + " body bytes");
  }

  /** Classifies a response the codec could not parse (a premature close included). */
  Failure onUndecodable(Throwable cause) {
    if (cause instanceof PrematureChannelClosureException) {
      return onClose();
    }
    return new Failure(ErrorKind.STATUS, "not a valid HTTP/1.1 response: " + cause);
  }

  /** Returns whether the response head has arrived. */
  boolean headSeen() {
    return headSeen;
  }

  /** Returns whether the response lets the connection carry another request. */
  boolean keepAlive() {
    return keepAlive;
  }

  /** Returns the response status, or 0 before the head. */
  int status() {
    return status;
  }

  /** Returns the number of body bytes received. */
  long received() {
    return received;
  }
}
