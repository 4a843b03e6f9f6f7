package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.http.HopByHopHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.ByteArrayOutputStream;

/**
 * The origin's error answer (a 5xx) to a probe, whole: every client that waited for that probe is
 * given it, so a class that missed together costs the failing origin one request, not one per
 * student (each passing the error through on its own request would be a retry storm against an
 * origin already in trouble). Immutable; the body is a small heap array that each client wraps.
 */
public final class OriginErrorAnswer {

  /**
   * The largest error body kept. Error pages are a few KiB; an origin that sends more has each
   * client's own request pass it through, as for any answer not shared.
   */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final HttpResponseStatus status;
  private final HttpHeaders headers;
  private final byte[] body;

  private OriginErrorAnswer(HttpResponseStatus status, HttpHeaders headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** The origin's status. */
  public HttpResponseStatus status() {
    return status;
  }

  /** A copy of the origin's end-to-end headers, for one client. */
  public HttpHeaders headers() {
    return new DefaultHttpHeaders().set(headers);
  }

  /** The body, for one client: a new buffer over the shared bytes (nothing to release). */
  public ByteBuf body() {
    return Unpooled.wrappedBuffer(body);
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** Whether an answer with this head may be kept whole: its declared length, if any, is small. */
  static boolean mayKeep(HttpResponse head) {
    return HttpUtil.getContentLength(head, 0L) <= MAX_BODY_BYTES;
  }

  /** Gathers an error answer as its body arrives. Event loop only. */
  static final class Collector {
    private final HttpResponseStatus status;
    private final HttpHeaders headers;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Collector(HttpResponse head) {
      requireNonNull(head, "head");
      this.status = head.status();
      this.headers = new DefaultHttpHeaders().set(head.headers());
      HopByHopHeaders.strip(headers); // Transfer-Encoding among them: the body is sent whole
    }

    /** The status code of the answer being gathered. */
    int status() {
      return status.code();
    }

    /** Adds a piece of the body (not released here); false once the body is over the limit. */
    boolean add(ByteBuf piece) {
      if (body.size() + piece.readableBytes() > MAX_BODY_BYTES) {
        return false;
      }
      body.writeBytes(ByteBufUtil.getBytes(piece));
      return true;
    }

    /** The answer, once its body has ended. */
    OriginErrorAnswer answer() {
      return new OriginErrorAnswer(status, headers, body.toByteArray());
    }
  }
}
