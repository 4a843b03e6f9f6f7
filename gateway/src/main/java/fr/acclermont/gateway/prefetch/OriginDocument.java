package fr.acclermont.gateway.prefetch;

import fr.acclermont.gateway.metrics.OriginOutcome;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginExchange;
import fr.acclermont.gateway.origin.OriginResponseListener;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.RequestBody;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A list given by URL, fetched from its origin as it is, not through the cache (a list is the
 * operator's, not the tablets'): a GET through the origin's client (its TLS, pool and timeouts),
 * the whole body kept up to a size, decoded. Its bytes count in {@code gateway_origin_bytes_total}
 * like any origin request's. The future completes on the origin's event loop.
 */
final class OriginDocument implements OriginResponseListener {

  private final CompletableFuture<byte[]> done = new CompletableFuture<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final int maxBytes;
  private OriginExchange exchange;
  private String contentEncoding;

  private OriginDocument(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * GETs {@code target} from {@code route} with {@code headers}; fails with an {@link IOException}
   * saying why on a status other than 2xx, a body over {@code maxBytes}, or an origin failure.
   */
  static CompletableFuture<byte[]> get(OriginClient client, OriginRoute route, String target, HttpHeaders headers,
      EventLoop loop, int maxBytes) {
    OriginDocument document = new OriginDocument(maxBytes);
    try {
      loop.execute(() -> document.exchange = client.exchange(route, loop,
          new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, headers), RequestBody.NONE,
          document));
    } catch (RejectedExecutionException shuttingDown) {
      document.done.completeExceptionally(new IOException("shutting down"));
    }
    return document.done;
  }

  @Override
  public void onResponse(HttpResponse response) {
    int status = response.status().code();
    if (status < 200 || status > 299) {
      exchange.abort();
      done.completeExceptionally(new IOException("the origin answered " + status));
      return;
    }
    contentEncoding = response.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    exchange.read();
  }

  @Override
  public void onContent(HttpContent content) {
    try {
      if (done.isDone()) {
        return;
      }
      ByteBuf data = content.content();
      if (body.size() + data.readableBytes() > maxBytes) {
        exchange.abort();
        done.completeExceptionally(new IOException("more than " + maxBytes + " bytes"));
        return;
      }
      data.readBytes(body, data.readableBytes());
    } catch (IOException e) {
      done.completeExceptionally(e);
      return;
    } finally {
      content.release();
    }
    if (content instanceof LastHttpContent) {
      try {
        done.complete(Bodies.decode(body.toByteArray(), contentEncoding, maxBytes));
      } catch (IOException e) {
        done.completeExceptionally(e);
      }
      return;
    }
    exchange.read();
  }

  @Override
  public void onFailure(OriginOutcome outcome, Throwable cause) {
    done.completeExceptionally(new IOException(outcome.tag() + ": " + cause.getMessage()));
  }
}
