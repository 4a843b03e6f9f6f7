package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * What the access log says about one client request, taken when the request ends. Immutable; its
 * request target is raw (masked when the line is written, off the event loop).
 *
 * @param timeMillis when the request head was received, in milliseconds since the epoch
 * @param client the client's address, or null if unknown
 * @param method the request method, or null when the request head could not be parsed
 * @param protocol the client's protocol: {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}; null
 *     when the request head could not be parsed
 * @param target the request target as received, unmasked, or null when the head could not be parsed
 * @param status the status sent (499 when the client left before any was sent)
 * @param bodyBytes the response body bytes written to the client's connection
 * @param cacheStatus the {@code Cache-Status} value sent, or null when none was
 * @param firstByteNanos from receiving the request head to writing the response head; -1 when no
 *     head was written
 * @param totalNanos from receiving the request head to the end of the request
 * @param originNanos the time spent waiting on the origin for this request (see docs/operations.md,
 *     "Access log"); -1 when the origin was not asked
 * @param origin the name of the origin the request was routed to, or null when it was not routed
 * @param end how the request ended
 */
public record AccessLogEntry(long timeMillis, @Nullable InetAddress client, @Nullable String method,
    @Nullable String protocol, @Nullable String target, int status, long bodyBytes, @Nullable String cacheStatus, long firstByteNanos,
    long totalNanos, long originNanos, @Nullable String origin, End end) {

  /** How a request ended, as the access log's {@code end} field says. */
  public enum End {
    /** The whole response was written. */
    COMPLETE("complete"),
    /** The gateway cut the connection: the response could not be completed (an origin failure). */
    ABORTED("aborted"),
    /** The client closed the connection (or it broke) before the whole response was written. */
    CLIENT_CLOSED("client-closed"),
    /** The gateway closed the connection: the client took none of its response for {@code timeouts.idle-write}. */
    TIMEOUT("timeout");

    private final String tag;

    End(String tag) {
      this.tag = tag;
    }

    /** The value written in the log line. */
    public String tag() {
      return tag;
    }
  }

  /** Status written for a client that left before any response head was sent (nginx's convention). */
  public static final int CLIENT_CLOSED_REQUEST = 499;

  /** The {@code protocol} of a request received on {@code channel}: an HTTP/2 stream, or the request line's version. */
  static String protocol(Channel channel, HttpRequest request) {
    return channel instanceof Http2StreamChannel ? "HTTP/2" : request.protocolVersion().text();
  }

  /**
   * Creates an entry.
   *
   * @throws NullPointerException if {@code end} is null
   */
  public AccessLogEntry {
    requireNonNull(end, "end");
  }
}
