package fr.acclermont.gateway.demo;

import fr.acclermont.gateway.cache.ByteRange;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Date;

/**
 * Decides the status, headers and body range of the answer to a GET or HEAD of a resource:
 * conditionals, ranges, validators, caching headers and the shaping test hooks. Pure: no I/O.
 */
final class ResponsePlanner {

  /**
   * The answer to send.
   *
   * @param head the status line and headers (keep-alive headers excepted)
   * @param bodyStart the offset of the first body byte in the resource
   * @param bodyLength how many body bytes follow the headers (0 for HEAD, 304 and 416)
   */
  record Plan(HttpResponse head, long bodyStart, long bodyLength) {}

  private ResponsePlanner() {}

  /** Plans the answer to {@code request} for {@code resource} at {@code nowMillis}. */
  static Plan plan(HttpRequest request, Resource resource, ResponseHooks hooks, long nowMillis) {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders headers = response.headers()
        .set(HttpHeaderNames.ETAG, resource.etag())
        .set(HttpHeaderNames.LAST_MODIFIED, httpDate(resource.lastModifiedMillis()));
    applyHooks(headers, hooks, resource.cacheControl(), nowMillis);
    if (Conditionals.notModified(request.headers(), resource)) {
      response.setStatus(HttpResponseStatus.NOT_MODIFIED);
      return new Plan(response, 0, 0);
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, resource.contentType());
    long length = resource.length();
    // RFC 9110 §14.2: GET is the only method with range semantics; HEAD describes the 200.
    boolean rangeable = !hooks.noRanges();
    boolean honourRange = rangeable
        && HttpMethod.GET.equals(request.method())
        && Conditionals.ifRangeMatches(request.headers(), resource);
    if (rangeable) {
      headers.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    }
    ByteRange range = ByteRange.of(honourRange ? request.headers().get(HttpHeaderNames.RANGE) : null, length);
    if (range.outcome() == ByteRange.Outcome.UNSATISFIABLE) {
      response.setStatus(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
      headers.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(length));
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      return new Plan(response, 0, 0);
    }
    long start = 0;
    long count = length;
    if (range.outcome() == ByteRange.Outcome.PARTIAL) {
      response.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
      headers.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(length));
      start = range.first();
      count = range.length();
    }
    headers.set(HttpHeaderNames.CONTENT_LENGTH, count);
    if (hooks.chunked()) {
      if (request.protocolVersion().isKeepAliveDefault()) {
        HttpUtil.setTransferEncodingChunked(response, true);
      } else {
        // An HTTP/1.0 client knows no chunks: the body ends when the connection closes.
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      }
    }
    return new Plan(response, start, HttpMethod.HEAD.equals(request.method()) ? 0 : count);
  }

  /** Sets {@code Date} and the caching headers that the hooks shape. */
  static void applyHooks(HttpHeaders headers, ResponseHooks hooks, String defaultCacheControl, long nowMillis) {
    headers.set(HttpHeaderNames.DATE, httpDate(nowMillis));
    String cacheControl = hooks.cacheControl(defaultCacheControl);
    if (cacheControl != null) {
      headers.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    }
    if (hooks.expiresSeconds() != null) {
      headers.set(HttpHeaderNames.EXPIRES, httpDate(nowMillis + hooks.expiresSeconds() * 1000));
    }
    if (hooks.vary() != null) {
      headers.set(HttpHeaderNames.VARY, hooks.vary());
    }
  }

  /** Formats an IMF-fixdate, e.g. {@code Sun, 01 Sep 2024 06:00:00 GMT}. */
  static String httpDate(long millis) {
    return DateFormatter.format(new Date(millis));
  }
}
