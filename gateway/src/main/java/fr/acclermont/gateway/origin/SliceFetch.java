package fr.acclermont.gateway.origin;

import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.OriginOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One origin request that fills slices: the heart of coalescing and of the sliced cache.
 *
 * <p>Design notes.
 *
 * <p><b>Kinds.</b> A <em>probe</em> is the first fetch of an object nobody has the head of: a GET
 * with a {@code Range} of at most one slice (the slice holding the first byte its leader wants, or
 * less: the bytes it wants first). Its answer publishes the object ({@link StoredObject}, with a
 * new version) in the memory tier and in its {@link PendingObject}, on which the clients that
 * missed meanwhile wait. A 206 gives the total length from {@code Content-Range}; a 200 (an origin
 * that ignores ranges) is streamed whole into every slice, if it fits the tier's object limit; any
 * other answer that may not be stored abandons the object (its waiters fetch on their own). A
 * <em>range fetch</em> fills one claimed run of one slice of a known object, for a reader that
 * waits for it (demand), that will reach it soon (read-ahead), or for nobody (a background fill of
 * the rest of a partly present slice, started only when no demand fetch waits for the uplink).
 *
 * <p><b>States.</b> {@code start} (queued in the origin's {@link FetchLimiter} until a place is
 * free) → head received (probe: the object published and its run claimed; range fetch: the 206
 * checked against the object's version) → body streaming into the slices, at the origin's pace,
 * each byte published to watchers as it lands → ended: every claimed byte written (success), or
 * failed (origin error, reset, timeout, a short or overlong body, a different version).
 *
 * <p><b>Buffers.</b> The fetch holds one reference to each slice it fills and writes into the
 * slice's own buffer with absolute indexes, inside its claims only; it releases each received
 * {@code HttpContent} after copying it (one copy, from the socket's buffer into the slice that
 * every reader then shares). Readers take retained slices of the slice buffer; the last release
 * frees it.
 *
 * <p><b>Failures.</b> A failed fetch ends its claims as failed: readers waiting on them cut their
 * connections (never a short body that looks complete); bytes already written stay present (they
 * are of the right version), the rest stays missing, so the next request fetches it again. A 206
 * whose validators or length differ from the object's means the object changed at the origin: the
 * old version's metadata and slices are dropped, so no response ever mixes two versions. A client
 * that leaves does not stop a fetch (unless {@code cache.finish-unwatched-fetches} is false and
 * nobody else watches the slice).
 *
 * <p>This class holds what both kinds share: the request, the claimed runs, the body streamed into
 * them, success and failure. {@link ProbeFetch} handles a probe's head, {@link RangeFetch} a range
 * fetch's.
 *
 * <p>Threading: every method runs on the fetch's event loop. Not thread-safe.
 */
abstract sealed class SliceFetch implements OriginResponseListener permits ProbeFetch, RangeFetch {

  static final Logger log = LoggerFactory.getLogger(SliceFetch.class);

  final SliceFetcher fetcher;
  final FetchRequest request;
  final EventLoop loop;
  final FetchKind kind;
  final ClaimedRuns runs = new ClaimedRuns();
  @Nullable StoredObject object;
  @Nullable OriginExchange exchange;
  long requestTimeMillis;
  long position;
  long end;
  boolean ended;
  /** Body bytes received from the origin so far. */
  private long bodyBytes;
  /** Whether every byte claimed was written (set just before the fetch finishes). */
  private boolean succeeded;
  /** For a background fetch of a prefetch: told when it ends; it then fills no rest of a slice itself. */
  private BackgroundFetches.@Nullable FetchEnd onEnd;

  SliceFetch(SliceFetcher fetcher, FetchRequest request, EventLoop loop, FetchKind kind,
      @Nullable StoredObject object) {
    this.fetcher = fetcher;
    this.request = request;
    this.loop = loop;
    this.kind = kind;
    this.object = object;
  }

  /** This fetch as the limiter runs it: started on its loop, or cancelled at shutdown. */
  FetchLimiter.Task task() {
    return new FetchLimiter.Task() {
      @Override
      public void start() {
        request.route().limiter().startOn(loop, SliceFetch.this::start, this, kind);
      }

      @Override
      public void cancel() {
        ended = true;
        failWithoutLimiter(FetchFailure.NO_ANSWER);
      }
    };
  }

  /**
   * Makes this a prefetch's fetch (before {@link #start}): {@code onEnd} is told when it ends, and it
   * leaves the rest of a partly filled slice to the prefetch, which paces its fetches, instead of
   * filling it in the background.
   */
  void onEnd(BackgroundFetches.FetchEnd onEnd) {
    this.onEnd = onEnd;
  }

  /** Sends the request (on the fetch's loop, once the limiter let it go). */
  void start() {
    HttpHeaders headers = new DefaultHttpHeaders().set(request.headers());
    headers.set(HttpHeaderNames.RANGE, range());
    addHeaders(headers);
    requestTimeMillis = fetcher.clock.millis();
    exchange = fetcher.originClient.exchange(request.route(), loop,
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.target(), headers), RequestBody.NONE,
        this);
  }

  /** The {@code Range} this fetch asks for. */
  abstract String range();

  /** Adds the kind's own request headers (a revalidation's validators). */
  void addHeaders(HttpHeaders headers) {
  }

  /** Handles the response head; true to read the body on. */
  abstract boolean onHead(HttpResponse response);

  /** Whether this fetch stops once nobody watches the slice it writes (else it runs to its end). */
  abstract boolean stopsUnwatched();

  /** Fails the head awaited ({@code failure}: how), if this kind awaits one (before the claims are failed). */
  void failHead(FetchFailure failure) {
  }

  @Override
  public void onResponse(HttpResponse response) {
    if (onHead(response)) {
      exchange.read();
    }
  }

  @Nullable List<ClaimedRuns.Segment> claim(StoredObject stored, long from, long to) {
    return ClaimedRuns.claim(fetcher.storage, stored, from, to);
  }

  @Override
  public void onContent(HttpContent content) {
    try {
      if (ended) {
        return;
      }
      ByteBuf data = content.content();
      bodyBytes += data.readableBytes();
      if (position + data.readableBytes() > end) {
        abortExchange();
        fail(new OriginFailureException("the origin sent more than " + (end - position) + " bytes"));
        return;
      }
      position = runs.write(position, data);
    } finally {
      content.release();
    }
    if (content instanceof LastHttpContent) {
      exchange = null;
      if (position != end) {
        fail(new OriginFailureException("the origin's body ended " + (end - position) + " bytes short"));
        return;
      }
      succeed();
      return;
    }
    Slice current = runs.current();
    if (stopsUnwatched() && current != null && !current.isWatched()) {
      log.debug("nobody waits for {} any longer: stopping its fetch", current);
      abortExchange();
      fail(OriginOutcome.RESET);
      return;
    }
    exchange.read();
  }

  private void succeed() {
    StoredObject stored = object;
    succeeded = true;
    for (Slice slice : runs.takeSlices()) {
      fetcher.storage.sliceCompleted(stored, slice);
      if (stored.rangeable() && !slice.isComplete() && onEnd == null) {
        fetcher.fillRest(stored, slice, request, loop); // takes the reference over
      } else {
        slice.release();
      }
    }
    finish();
  }

  @Override
  public void onFailure(OriginOutcome outcome, Throwable cause) {
    exchange = null;
    log.warn("origin {} failed fetching {} of {} ({}): {}", request.route().name(), range(), request.target(),
        outcome.tag(), cause.toString());
    fail(outcome);
  }

  void fail(OriginFailureException cause) {
    log.warn("fetch of {} from origin {} failed: {}", request.target(), request.route().name(), cause.getMessage());
    fail(OriginOutcome.RESET);
  }

  private void fail(OriginOutcome outcome) {
    if (ended) {
      return;
    }
    failWithoutLimiter(outcome == OriginOutcome.TIMEOUT ? FetchFailure.TIMEOUT : FetchFailure.NO_ANSWER);
    finish();
  }

  /** Fails the head awaited and the claims, and releases the slices. */
  private void failWithoutLimiter(FetchFailure failure) {
    failHead(failure);
    runs.fail();
  }

  void abortExchange() {
    OriginExchange ex = exchange;
    exchange = null;
    if (ex != null) {
      ex.abort();
    }
  }

  void finish() {
    if (!ended) {
      ended = true;
      request.route().limiter().done(kind);
      if (onEnd != null) {
        onEnd.ended(bodyBytes, succeeded);
      }
    }
  }
}
