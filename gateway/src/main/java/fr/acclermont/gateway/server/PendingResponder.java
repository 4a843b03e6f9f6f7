package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.ForwardReason;
import fr.acclermont.gateway.cache.SliceRead;
import fr.acclermont.gateway.cache.Watchers;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.origin.FetchFailure;
import fr.acclermont.gateway.origin.OriginErrorAnswer;
import fr.acclermont.gateway.origin.PendingObject;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Waits for the head of an object being probed, then reads it like any stored object
 * ({@link SliceResponder}): used by the client that leads the probe and by every client that
 * missed meanwhile (collapsed). If the object may not be shared, the client fetches on its own;
 * if the probe failed or the origin answered an error, a stale copy stands in where it may, else
 * the client gets 502 (504 for a timeout) or the origin's own error: the probe's answer, shared by
 * every waiter, when it was small enough to keep. Event loop only.
 */
final class PendingResponder implements Responder, Watchers.Watcher {

  private final ClientRequest client;
  private final StoreReading reading;
  private final PendingObject pending;
  private final ForwardReason fwd;
  /** Whether this client joined a probe led by another ({@link Probe#JOINED}). */
  private final boolean collapsed;
  private final Supplier<Responder> fallback;
  private final Function<FetchFailure, @Nullable Responder> onError;
  private Watchers.@Nullable Registration registration;
  private @Nullable Responder delegate;
  private boolean done;

  /** Whose probe a waiting client waits for. */
  enum Probe {
    /** The probe this client sent: leading the object's probe, or a side probe of its own range. */
    OWN,
    /** A probe led by another client, which this one joined ({@code Cache-Status: ...; collapsed}). */
    JOINED
  }

  /**
   * @param fwd the {@code Cache-Status} forward reason
   * @param probe whether the probe waited for is this client's own, or one led by another
   * @param fallback the responder to use if the object cannot be shared, or is another variant than
   *     this client's
   * @param onError given how the probe failed, the stale copy's responder, or
   *     null when none may stand in
   */
  PendingResponder(ClientRequest client, StoreReading reading, PendingObject pending, ForwardReason fwd,
      Probe probe, Supplier<Responder> fallback, Function<FetchFailure, @Nullable Responder> onError) {
    this.client = requireNonNull(client, "client");
    this.reading = requireNonNull(reading, "reading");
    this.pending = requireNonNull(pending, "pending");
    this.fwd = requireNonNull(fwd, "fwd");
    this.collapsed = probe == Probe.JOINED;
    this.fallback = requireNonNull(fallback, "fallback");
    this.onError = requireNonNull(onError, "onError");
  }

  @Override
  public EventExecutor executor() {
    return client.ctx().executor();
  }

  @Override
  public void start() {
    client.originStarted(); // until the head is published (or the probe fails or is abandoned)
    registration = pending.watch(this);
    onChange();
  }

  @Override
  public void onChange() {
    if (done || delegate != null) {
      return;
    }
    switch (pending.state()) {
      case AWAITING -> { }
      case PUBLISHED -> {
        leave();
        client.rekey();
        if (!pending.object().key().equals(client.key())) {
          // The answer revealed a Vary on which this client's request differs from the one that
          // brought it: another variant, which this client looks up (or fetches) on its own.
          delegate = fallback.get();
          delegate.start();
          return;
        }
        CacheStatus statuses = reading.statuses();
        boolean confirmed = pending.originStatus() == 304; // the stale copy, refreshed: nothing new was stored
        int status = confirmed ? 304 : pending.object().status(); // a 206 probe stores the 200 it is part of
        if (collapsed) {
          client.outcome(CacheOutcome.COLLAPSED); // answered by another client's probe, whatever it brought
        } else if (confirmed) {
          client.outcome(CacheOutcome.REVALIDATED);
        }
        // The probe's run is this client's own if it sent the probe; a collapsed client reads
        // another's (its bytes count as collapsed, or memory once present).
        String cacheStatus = CacheStatus.after(pending.object().headers().get(CacheStatus.HEADER),
            collapsed ? statuses.collapsed(fwd, status)
                : confirmed ? statuses.forward(fwd, status) : statuses.stored(fwd, status));
        delegate = new SliceResponder(client, reading, pending.object(), cacheStatus,
            collapsed || confirmed ? SliceRead.Use.COUNTED : SliceRead.Use.COUNTED_AT_CREATION,
            collapsed ? null : pending);
        delegate.start();
      }
      case ABANDONED -> {
        leave();
        client.rekey();
        delegate = fallback.get();
        delegate.start();
      }
      case FAILED -> {
        leave();
        FetchFailure failure = requireNonNull(pending.failure(), "failure");
        Responder stale = onError.apply(failure);
        OriginErrorAnswer answer = pending.errorAnswer();
        if (stale == null && answer != null) {
          done = true;
          sendErrorAnswer(answer); // the probe's, shared: no request of this client's own
          return;
        }
        if (stale != null || failure.kind() == FetchFailure.Kind.ORIGIN_STATUS) {
          // A stale copy stands in; else the origin's own error answer is passed through.
          delegate = stale != null ? stale : fallback.get();
          delegate.start();
          return;
        }
        done = true;
        HttpResponse response = failure.kind() == FetchFailure.Kind.TIMEOUT
            ? ErrorResponses.create(client.ctx(), HttpResponseStatus.GATEWAY_TIMEOUT,
                "the origin did not answer in time", false)
            : ErrorResponses.create(client.ctx(), HttpResponseStatus.BAD_GATEWAY, "the origin fetch failed", false);
        response.headers().set(CacheStatus.HEADER, reading.statuses().forward(fwd));
        client.prepareHead(response);
        client.ctx().writeAndFlush(response).addListener(f -> client.finish());
      }
      default -> throw new IllegalStateException("unknown state " + pending.state());
    }
  }

  /** Sends the origin's error answer to the probe, whole, as its own pass-through would have. */
  private void sendErrorAnswer(OriginErrorAnswer answer) {
    HttpHeaders headers = answer.headers();
    int status = answer.status().code();
    CacheStatus statuses = reading.statuses();
    headers.set(CacheStatus.HEADER, CacheStatus.after(headers.get(CacheStatus.HEADER),
        collapsed ? statuses.collapsed(fwd, status) : statuses.forward(fwd, status)));
    boolean head = HttpMethod.HEAD.equals(client.method());
    if (collapsed) {
      client.outcome(CacheOutcome.COLLAPSED);
    }
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.bodyLength());
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
        head ? Unpooled.EMPTY_BUFFER : answer.body(), headers, EmptyHttpHeaders.INSTANCE);
    client.prepareHead(response);
    if (!head) {
      // Fetched once, by the probe: its client's own bytes, every other waiter's collapsed ones.
      client.served(collapsed ? ByteSource.COLLAPSED : ByteSource.ORIGIN, answer.bodyLength());
    }
    client.ctx().writeAndFlush(response).addListener(f -> client.finish());
  }

  private void leave() {
    client.originEnded();
    Watchers.Registration r = registration;
    registration = null;
    if (r != null) {
      r.cancel();
    }
  }

  @Override
  public void onWritable() {
    if (delegate != null) {
      delegate.onWritable();
    }
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
