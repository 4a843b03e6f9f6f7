package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.LimitsConfig;
import fr.acclermont.gateway.http.HopByHopHeaders;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request head may be proxied, and to which origin: a pure function of the head,
 * the limits and the routes. Every refusal names its status and a one-line reason for the log. A
 * client connection keeps the guard (the limits) it started with, but the routes are those of the
 * configuration now: a reload may move, remove or add origins, and a kept connection's next request
 * must not go to a retired route.
 */
public final class RequestGuard {

  /** The outcome of {@link #check}. */
  public sealed interface Verdict permits Accepted, Rejected {
  }

  /**
   * The request may go to {@code route}.
   *
   * @param route the chosen origin
   * @param pathAndQuery the origin-form target (absolute-form reduced to it)
   */
  public record Accepted(OriginRoute route, String pathAndQuery) implements Verdict {
  }

  /**
   * The request is refused.
   *
   * @param status the status to answer
   * @param reason why, for the response body and the log line
   */
  public record Rejected(HttpResponseStatus status, String reason) implements Verdict {
  }

  /** RFC 5842's 508, the usual answer of proxies to a forwarding loop. */
  static final HttpResponseStatus LOOP_DETECTED = new HttpResponseStatus(508, "Loop Detected");

  private final LimitsConfig limits;
  /** The routes now, read once per request. */
  private final Supplier<OriginRouter> router;
  private final String viaPseudonym;

  /**
   * @param viaPseudonym this gateway's name in {@code Via}; a request already carrying it is a loop
   */
  public RequestGuard(LimitsConfig limits, OriginRouter router, String viaPseudonym) {
    this(limits, fixed(requireNonNull(router, "router")), viaPseudonym);
  }

  /**
   * @param router the router of the configuration now (a reload replaces it)
   * @param viaPseudonym this gateway's name in {@code Via}; a request already carrying it is a loop
   */
  public RequestGuard(LimitsConfig limits, Supplier<OriginRouter> router, String viaPseudonym) {
    this.limits = requireNonNull(limits, "limits");
    this.router = requireNonNull(router, "router");
    this.viaPseudonym = requireNonNull(viaPseudonym, "viaPseudonym");
  }

  private static Supplier<OriginRouter> fixed(OriginRouter router) {
    return () -> router;
  }

  /** Checks one request head. */
  public Verdict check(HttpRequest request) {
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      return decodeFailure(decoded.cause());
    }
    if (request.protocolVersion().majorVersion() != 1) {
      return new Rejected(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.x is served");
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      return new Rejected(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT is not supported: this is not an open proxy");
    }
    if (request.headers().size() > limits.maxHeaders()) {
      return new Rejected(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          request.headers().size() + " header fields (limit " + limits.maxHeaders() + ")");
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !request.headers().contains(HttpHeaderNames.HOST)) {
      return new Rejected(HttpResponseStatus.BAD_REQUEST, "HTTP/1.1 request without Host");
    }
    if (hasSeveral(request, HttpHeaderNames.HOST)) {
      return new Rejected(HttpResponseStatus.BAD_REQUEST, "more than one Host field");
    }
    if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return new Rejected(HttpResponseStatus.BAD_REQUEST, "both Content-Length and Transfer-Encoding");
    }
    AsciiString framing = HopByHopHeaders.framingFieldNamed(request.headers());
    if (framing != null) {
      // Stripping it would forward the body unframed: the origin would read it as the next request.
      return new Rejected(HttpResponseStatus.BAD_REQUEST, "Connection names the framing field " + framing);
    }
    if (hasBody(request) && (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()))) {
      // RFC 9110 9.3.1: a GET body has no defined semantics and is a smuggling vector; refused, not dropped.
      return new Rejected(HttpResponseStatus.BAD_REQUEST, request.method() + " with a body");
    }
    if (HttpUtil.getContentLength(request, 0L) > limits.maxBodyBytes()) {
      return new Rejected(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "body of " + HttpUtil.getContentLength(request, 0L) + " bytes (limit " + limits.maxBodyBytes() + ")");
    }
    if (isLoop(request)) {
      return new Rejected(LOOP_DETECTED, "request already passed through " + viaPseudonym);
    }
    OriginRouter router = this.router.get();
    String target = request.uri();
    if (!target.startsWith("/")) {
      URI uri = absoluteUri(target);
      if (uri == null) {
        return new Rejected(HttpResponseStatus.BAD_REQUEST, "malformed request target");
      }
      if (!router.isOriginAuthority(uri.getRawAuthority())) {
        return new Rejected(HttpResponseStatus.FORBIDDEN,
            "absolute-form target for a host that is not a configured origin");
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      target = uri.getRawQuery() == null ? path : path + '?' + uri.getRawQuery();
    }
    if (target.indexOf('#') >= 0) {
      return new Rejected(HttpResponseStatus.BAD_REQUEST, "fragment in request target");
    }
    int query = target.indexOf('?');
    OriginRoute route = router.route(query < 0 ? target : target.substring(0, query));
    if (route == null) {
      return new Rejected(HttpResponseStatus.NOT_FOUND, "no origin is configured for this path");
    }
    return new Accepted(route, target);
  }

  private static Rejected decodeFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new Rejected(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new Rejected(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large");
    }
    if (cause instanceof TooLongFrameException) {
      return new Rejected(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request head too large");
    }
    return new Rejected(HttpResponseStatus.BAD_REQUEST, "malformed request: " + cause.getMessage());
  }

  /** Whether the request declares a body: chunked, or a {@code Content-Length} above 0. */
  static boolean hasBody(HttpRequest request) {
    return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
  }

  /** Whether the request carries the field more than once, without building the list of its values. */
  private static boolean hasSeveral(HttpRequest request, CharSequence name) {
    if (!request.headers().contains(name)) {
      return false;
    }
    java.util.Iterator<? extends CharSequence> values = request.headers().valueCharSequenceIterator(name);
    values.next();
    return values.hasNext();
  }

  private boolean isLoop(HttpRequest request) {
    if (!request.headers().contains(HttpHeaderNames.VIA)) {
      return false;
    }
    for (String via : request.headers().getAll(HttpHeaderNames.VIA)) {
      for (String hop : via.split(",")) {
        String[] parts = hop.trim().split("\\s+");
        if (parts.length >= 2 && parts[1].equalsIgnoreCase(viaPseudonym)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Parses an absolute-form target (RFC 9112 3.2.2), or returns null when it is not one. */
  private static @Nullable URI absoluteUri(String target) {
    try {
      URI uri = new URI(target);
      return uri.getScheme() == null || uri.getRawAuthority() == null ? null : uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
