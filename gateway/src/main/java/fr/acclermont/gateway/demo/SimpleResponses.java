package fr.acclermont.gateway.demo;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Small complete responses: errors, control endpoints, status faults. */
final class SimpleResponses {

  private SimpleResponses() {}

  /**
   * A plain-text response. For HEAD, and for statuses that never have content, the body is left
   * out; HEAD keeps the {@code Content-Length} a GET would get.
   */
  static FullHttpResponse text(HttpRequest request, HttpResponseStatus status, String text) {
    return body(request, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A 200 JSON response that no cache may store. */
  static FullHttpResponse json(HttpRequest request, byte[] json) {
    return json(request, HttpResponseStatus.OK, json);
  }

  /** A JSON response that no cache may store. */
  static FullHttpResponse json(HttpRequest request, HttpResponseStatus status, byte[] json) {
    FullHttpResponse response = body(request, status, "application/json", json);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }

  /** A response without content, e.g. 204. */
  static FullHttpResponse empty(HttpResponseStatus status) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    response.headers().set(HttpHeaderNames.DATE, ResponsePlanner.httpDate(System.currentTimeMillis()));
    return response;
  }

  /** Sets the {@code Connection} header a response needs to say whether the connection stays. */
  static void keepAlive(HttpResponse response, HttpRequest request, boolean keepAlive) {
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.protocolVersion().isKeepAliveDefault()) {
      // HTTP/1.0 closes by default: the client must hear that this connection stays.
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  private static FullHttpResponse body(
      HttpRequest request, HttpResponseStatus status, String contentType, byte[] bytes) {
    int code = status.code();
    if (code == 204 || code == 304) {
      return empty(status);
    }
    boolean head = HttpMethod.HEAD.equals(request.method());
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    response.headers()
        .set(HttpHeaderNames.DATE, ResponsePlanner.httpDate(System.currentTimeMillis()))
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return response;
  }
}
