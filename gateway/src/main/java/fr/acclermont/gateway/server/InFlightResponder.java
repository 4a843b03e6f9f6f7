package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.ConditionalRequests;
import fr.acclermont.gateway.cache.InFlightObject;
import fr.acclermont.gateway.metrics.ByteSource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Streams an {@link InFlightObject} to one client as its bytes arrive, at the client's own pace:
 * it reads only while the client's connection is writable, and a slow client slows neither the
 * fetch nor the other clients (the object holds the bytes; the memory tier bounds its size).
 *
 * <p>Used for the client that leads a fetch and for every client that joined it (collapsed). If
 * the object turns out not to be shareable, the client falls back to a fetch of its own.
 *
 * <p>Event loop only: {@link #onProgress} is delivered on this client's loop.
 */
final class InFlightResponder implements Responder, InFlightObject.Subscriber {

  /** Bytes taken from the object per write: large enough to be cheap, small enough to interleave. */
  private static final int MAX_WRITE_BYTES = 256 * 1024;

  private final ClientRequest client;
  private final InFlightObject object;
  private final String fwd;
  private final boolean collapsed;
  private final Supplier<Responder> fallback;
  private @Nullable InFlightObject.Registration registration;
  private @Nullable Responder delegate;
  private boolean headSent;
  private boolean done;
  private long position;

  /**
   * @param fwd the {@code Cache-Status} forward reason ({@code miss}, {@code stale}...)
   * @param collapsed whether this client joined a fetch led by another
   * @param fallback the responder to use if the object cannot be shared
   */
  InFlightResponder(ClientRequest client, InFlightObject object, String fwd, boolean collapsed,
      Supplier<Responder> fallback) {
    this.client = requireNonNull(client, "client");
    this.object = requireNonNull(object, "object");
    this.fwd = requireNonNull(fwd, "fwd");
    this.collapsed = collapsed;
    this.fallback = requireNonNull(fallback, "fallback");
  }

  @Override
  public EventExecutor executor() {
    return client.ctx().executor();
  }

  @Override
  public void start() {
    registration = object.subscribe(this);
    if (registration == null) {
      fallBack();
      return;
    }
    onProgress();
  }

  private void fallBack() {
    Responder own = fallback.get();
    delegate = own;
    own.start();
  }

  @Override
  public void onProgress() {
    if (done || delegate != null) {
      return;
    }
    InFlightObject.State state = object.state();
    switch (state) {
      case AWAITING_HEAD -> { }
      case ABANDONED -> {
        leave();
        fallBack();
      }
      case FAILED -> {
        leave();
        if (headSent) {
          client.abort(); // the body is cut: never let it look complete
        } else {
          sendError();
        }
      }
      case STREAMING, COMPLETE -> stream(state == InFlightObject.State.COMPLETE);
      default -> throw new IllegalStateException("unknown state " + state);
    }
  }

  private void stream(boolean complete) {
    ChannelHandlerContext ctx = client.ctx();
    boolean wrote = false;
    if (!headSent) {
      if (!sendHead()) {
        return;
      }
      wrote = true; // the head goes out at once: time to first byte does not wait for the body
    }
    while (ctx.channel().isWritable()) {
      ByteBuf piece = object.read(position, MAX_WRITE_BYTES);
      int n = piece.readableBytes();
      if (n == 0) {
        piece.release();
        break;
      }
      position += n;
      client.metrics().served(collapsed ? ByteSource.MEMORY : ByteSource.ORIGIN, n);
      ctx.write(new DefaultHttpContent(piece));
      wrote = true;
    }
    if (complete && position == object.written()) {
      done = true;
      leave();
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
        if (f.isSuccess()) {
          client.finish();
        } else {
          client.abort();
        }
      });
    } else if (wrote) {
      ctx.flush();
    }
  }

  /** Writes the response head; returns false when the response ended with it (304). */
  private boolean sendHead() {
    InFlightObject.Head head = object.head();
    CacheStatus cacheStatus = client.services().cacheStatus();
    String status = collapsed ? cacheStatus.collapsed(fwd, head.status())
        : cacheStatus.forward(fwd, head.status(), true, null);
    headSent = true;
    if (ConditionalRequests.isConditional(client.request().headers())
        && ConditionalRequests.notModified(client.request().headers(), head.headers())) {
      HttpHeaders headers = new DefaultHttpHeaders().set(head.headers());
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      headers.remove(HttpHeaderNames.CONTENT_TYPE);
      headers.set(CacheStatus.HEADER, status);
      HttpResponse notModified = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, headers);
      client.prepareHead(notModified);
      done = true;
      leave();
      client.ctx().write(notModified);
      client.ctx().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> client.finish());
      return false;
    }
    HttpHeaders headers = new DefaultHttpHeaders().set(head.headers());
    headers.set(CacheStatus.HEADER, status);
    if (head.length() >= 0) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, head.length());
    } else if (client.request().protocolVersion().isKeepAliveDefault()) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else {
      client.closeAfterResponse();
    }
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(head.status()),
        headers);
    client.prepareHead(response);
    client.ctx().write(response);
    return true;
  }

  private void sendError() {
    done = true;
    HttpResponse response = ErrorResponses.create(client.ctx(), HttpResponseStatus.BAD_GATEWAY,
        "the origin fetch failed", false);
    response.headers().set(CacheStatus.HEADER, client.services().cacheStatus().forward(fwd, 0, false, null));
    client.prepareHead(response);
    client.ctx().writeAndFlush(response).addListener(f -> client.finish());
  }

  private void leave() {
    InFlightObject.Registration r = registration;
    registration = null;
    if (r != null) {
      r.cancel();
    }
  }

  @Override
  public void onWritable() {
    if (delegate != null) {
      delegate.onWritable();
      return;
    }
    onProgress();
  }

  @Override
  public void onClientClosed() {
    if (delegate != null) {
      delegate.onClientClosed();
      return;
    }
    done = true;
    leave();
  }
}
