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
    if (range == null) {
      if (status != 200) {
        return new Failure(ErrorKind.STATUS, "status " + status + " (expected: 200)");
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
    return null;
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
