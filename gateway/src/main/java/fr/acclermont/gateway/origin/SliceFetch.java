package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.ContentRange;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.OriginOutcome;
import fr.acclermont.gateway.server.HopByHopHeaders;
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
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>Threading: every method runs on the fetch's event loop. Not thread-safe.
 */
final class SliceFetch implements OriginResponseListener {

  private static final Logger log = LoggerFactory.getLogger(SliceFetch.class);

  private final SliceFetcher fetcher;
  private final FetchRequest request;
  private final EventLoop loop;
  private final boolean demand;
  private final boolean cancellable;
  /** The object's shared wait, which the first probe head to arrive publishes. */
  private final @Nullable PendingObject pending;
  /** The wait of the client that sent this probe: {@link #pending} for the leader, its own for a side probe. */
  private final @Nullable PendingObject mine;
  /** The run this probe reserved in {@link #pending}, until its head arrives or it ends. */
  private PendingObject.@Nullable Reservation reservation;
  private final @Nullable String probeRange;
  private final ClaimedRuns runs = new ClaimedRuns();
  private @Nullable StoredObject object;
  /** For a revalidation: the stale stored object whose validators the probe sends. */
  private @Nullable StoredObject revalidating;
  private @Nullable OriginExchange exchange;
  private long requestTimeMillis;
  private long position;
  private long end;
  private boolean ended;

  private SliceFetch(SliceFetcher fetcher, FetchRequest request, EventLoop loop, boolean demand, boolean cancellable,
      @Nullable PendingObject pending, @Nullable PendingObject mine, @Nullable String probeRange,
      @Nullable StoredObject object) {
    this.fetcher = fetcher;
    this.request = request;
    this.loop = loop;
    this.demand = demand;
    this.cancellable = cancellable;
    this.pending = pending;
    this.mine = mine;
    this.probeRange = probeRange;
    this.object = object;
  }

  /** A probe; {@code mine} is {@code pending} for the leader, a wait of its own for a side probe. */
  static SliceFetch probe(SliceFetcher fetcher, PendingObject pending, PendingObject mine,
      PendingObject.@Nullable Reservation reservation, FetchRequest request, String range, EventLoop loop) {
    SliceFetch fetch = new SliceFetch(fetcher, request, loop, true, false, requireNonNull(pending, "pending"),
        requireNonNull(mine, "mine"), requireNonNull(range, "range"), null);
    fetch.reservation = reservation;
    return fetch;
  }

  /** A fetch of {@code claim}'s run; takes over the caller's reference to {@code slice}. */
  static SliceFetch range(SliceFetcher fetcher, StoredObject object, Slice slice, Slice.Claim claim,
      FetchRequest request, EventLoop loop, boolean demand, boolean cancellable) {
    SliceFetch fetch = new SliceFetch(fetcher, request, loop, demand, cancellable, null, null, null, object);
    ClaimedRuns.Segment run = ClaimedRuns.of(object, slice, claim);
    fetch.runs.addAll(List.of(run));
    fetch.position = run.start();
    fetch.end = run.end();
    return fetch;
  }

  /** Makes this probe a revalidation of {@code stale} (before {@link #start}). */
  void revalidating(StoredObject stale) {
    this.revalidating = stale;
  }

  /** This fetch as the limiter runs it: started on its loop, or cancelled at shutdown. */
  FetchLimiter.Task task() {
    return new FetchLimiter.Task() {
      @Override
      public void start() {
        try {
          loop.execute(SliceFetch.this::start);
        } catch (RejectedExecutionException shuttingDown) {
          cancel();
          request.route().limiter().done(demand);
        }
      }

      @Override
      public void cancel() {
        ended = true;
        failWithoutLimiter();
      }
    };
  }

  /** Sends the request (on the fetch's loop, once the limiter let it go). */
  void start() {
    HttpHeaders headers = new DefaultHttpHeaders().set(request.headers());
    headers.set(HttpHeaderNames.RANGE, probeRange != null ? probeRange : "bytes=" + position + "-" + (end - 1));
    if (revalidating != null) {
      // RFC 9111 4.3.1: the stored validators. A 304 confirms the stored copy; a 206 is a new one.
      if (revalidating.etag() != null) {
        headers.set(HttpHeaderNames.IF_NONE_MATCH, revalidating.etag());
      }
      if (revalidating.lastModified() != null) {
        headers.set(HttpHeaderNames.IF_MODIFIED_SINCE, revalidating.lastModified());
      }
    }
    requestTimeMillis = fetcher.clock.millis();
    exchange = fetcher.originClient.exchange(request.route(), loop,
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.target(), headers), false, this);
  }

  @Override
  public void onResponse(HttpResponse response) {
    boolean go = pending != null ? publish(response) : matchesVersion(response);
    if (go) {
      exchange.read();
    }
  }

  /** The probe's answer: publishes the object and claims the run it brings, or abandons it. */
  private boolean publish(HttpResponse response) {
    if (revalidating != null && response.status().code() == 304) {
      return refresh(response);
    }
    ProbeAnswer answer = ProbeAnswer.read(response, request.clientHeaders(), pending.key(), fetcher.memory::nextVersion,
        fetcher.sliceSize, fetcher.memory.maxObjectBytes(), fetcher.rules, fetcher.variants, requestTimeMillis,
        fetcher.clock.millis());
    if (answer.originError()) {
      return originError(response.status().code());
    }
    if (answer.object() == null) {
      return abandon(answer.notStored(), answer.aboutTheObject());
    }
    StoredObject candidate = answer.object();
    long first = answer.first();
    end = answer.end();
    position = first;
    StoredObject stored;
    List<ClaimedRuns.Segment> claims = null;
    synchronized (pending) { // the heads of side-by-side probes of one object, one at a time
      if (pending.state() == PendingObject.State.PUBLISHED) {
        stored = pending.object();
      } else if (pending.state() != PendingObject.State.AWAITING) {
        // A side probe whose leader was abandoned or failed: it does not publish on its own;
        // its client falls back (to a stored copy, or a pass-through).
        return abandonSideProbe();
      } else {
        // The first head to arrive publishes the object. Claim before publishing (for this probe
        // and for every probe still on its way): a reader of the new version must find those
        // bytes on their way, never fetch them a second time.
        if (reservation != null) {
          // This probe claims what the origin actually sent (a 200: everything) instead; nothing
          // was claimed for its reservation, as only a publishing probe claims.
          pending.take(reservation);
          reservation = null;
        }
        claims = claim(candidate, first, end);
        claimReservations(candidate);
        fetcher.memory.putObject(candidate);
        fetcher.stored(candidate);
        fetcher.coordinator.publish(pending, candidate, response.status().code());
        stored = candidate;
      }
    }
    if (stored != candidate && !sameVersion(stored, candidate)) {
      // A side probe whose object another probe published first: same version, or nothing.
      fetcher.changed(stored);
      abortExchange();
      fail(new OriginFailureException("the object changed at the origin between two probes"));
      return false;
    }
    if (stored != candidate) {
      claims = reservation != null ? pending.take(reservation) : claim(stored, first, end);
      reservation = null;
    }
    if (claims != null) {
      runs.addAll(claims);
    }
    if (claims == null || !runs.coverExactly(first, end)) {
      // Some of these bytes are being fetched by another, or the origin answered another run than
      // the one reserved: this probe stops; its readers fetch what is missing themselves.
      runs.end(false);
      abortExchange();
      object = stored;
      if (mine != pending) {
        mine.publish(stored, response.status().code());
      }
      finish();
      return false;
    }
    object = stored;
    if (mine != pending) {
      mine.publish(stored, response.status().code());
    }
    return true;
  }

  /** Claims, in {@code stored}'s slices, the run of every probe still on its way (under the pending's lock). */
  private void claimReservations(StoredObject stored) {
    for (PendingObject.Reservation r : pending.reservations()) {
      List<ClaimedRuns.Segment> theirs = claim(stored, r.first(), Math.min(r.last() + 1, stored.length()));
      pending.claimed(r, theirs == null ? List.of() : theirs);
    }
  }

  /**
   * The origin confirmed the stale copy (304): its headers are refreshed (RFC 9111 4.3.4) and it is
   * published again, same version and slices, so no body byte is fetched again. The 304 has no
   * body: the exchange is read to its end and the connection goes back to the pool.
   */
  private boolean refresh(HttpResponse response) {
    HttpHeaders notModified = new DefaultHttpHeaders().set(response.headers());
    HopByHopHeaders.strip(notModified);
    long now = fetcher.clock.millis();
    StoredObject stale = revalidating;
    HttpHeaders merged = stale.mergedHeaders(notModified);
    StoredObject refreshed = stale.withExchange(merged, requestTimeMillis, now,
        fetcher.rules.lifetime(stale.key(), stale.status(), merged, now));
    synchronized (pending) {
      if (pending.state() != PendingObject.State.AWAITING) {
        return abandonSideProbe();
      }
      if (reservation != null) {
        pending.take(reservation); // this probe brings no bytes
        reservation = null;
      }
      claimReservations(refreshed);
      fetcher.memory.putObject(refreshed);
      fetcher.stored(refreshed);
      fetcher.coordinator.publish(pending, refreshed, 304);
    }
    object = refreshed;
    position = 0;
    end = 0;
    return true;
  }

  /**
   * The origin answered an error (a 5xx): the waiters are told, with the status, so that each
   * serves a stale copy where it may (RFC 9111 4.2.4) or passes the origin's answer through. An
   * error says nothing about the object: it is not remembered as unshareable.
   */
  private boolean originError(int status) {
    log.info("origin {} answered {} for {}", request.route().name(), status, request.target());
    abortExchange();
    if (mine == pending && pending.state() == PendingObject.State.AWAITING) {
      fetcher.coordinator.fail(pending, false, status);
    }
    mine.fail(false, status); // a side probe speaks for its own client only
    if (reservation != null) {
      runs.addAll(pending.take(reservation));
      reservation = null;
      runs.end(false);
    }
    finish();
    return false;
  }

  private static boolean sameVersion(StoredObject a, StoredObject b) {
    return a.length() == b.length() && a.rangeable() == b.rangeable() && a.status() == b.status()
        && Objects.equals(a.etag(), b.etag()) && Objects.equals(a.lastModified(), b.lastModified());
  }

  private @Nullable List<ClaimedRuns.Segment> claim(StoredObject stored, long from, long to) {
    return ClaimedRuns.claim(fetcher.memory, fetcher.allocator, stored, from, to);
  }

  /** Ends this probe at its head: its client (and only it) fetches on its own. */
  private boolean abandonSideProbe() {
    mine.abandon(); // no-op for a leader whose wait already ended
    if (reservation != null) {
      runs.addAll(pending.take(reservation));
      reservation = null;
      runs.end(false);
    }
    abortExchange();
    finish();
    return false;
  }

  /** The probe's answer is not stored; {@code unshareable}: the object itself may not be shared. */
  private boolean abandon(String why, boolean unshareable) {
    log.debug("not storing {}: {}", pending.key(), why);
    if (mine == pending) {
      if (unshareable) {
        fetcher.passes.remember(pending.key()); // not shareable: pass it for a while (hit-for-pass)
      }
      fetcher.coordinator.abandon(pending);
    }
    return abandonSideProbe(); // a side probe speaks for its own client only
  }

  /** A range fetch's answer must be the same version of the object and exactly the run asked for. */
  private boolean matchesVersion(HttpResponse response) {
    StoredObject expected = object;
    HttpHeaders headers = response.headers();
    ContentRange range = ContentRange.parse(headers.get(HttpHeaderNames.CONTENT_RANGE));
    boolean sameVersion = response.status().code() == 206 && range != null && range.length() == expected.length()
        && Objects.equals(headers.get(HttpHeaderNames.ETAG), expected.etag())
        && Objects.equals(headers.get(HttpHeaderNames.LAST_MODIFIED), expected.lastModified());
    if (!sameVersion) {
      log.info("{} changed at the origin (status {}, Content-Range {}, ETag {}): dropping the stored version",
          expected.key(), response.status().code(), headers.get(HttpHeaderNames.CONTENT_RANGE),
          headers.get(HttpHeaderNames.ETAG));
      fetcher.changed(expected);
      abortExchange();
      fail(new OriginFailureException("the object changed at the origin"));
      return false;
    }
    if (range.first() != position || range.last() != end - 1) {
      abortExchange();
      fail(new OriginFailureException("the origin answered " + range + " for bytes " + position + "-" + (end - 1)));
      return false;
    }
    return true;
  }

  @Override
  public void onContent(HttpContent content) {
    try {
      if (ended) {
        return;
      }
      ByteBuf data = content.content();
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
    if (cancellable && current != null && !current.isWatched()) {
      log.debug("nobody waits for {} any longer: stopping its fetch", current);
      abortExchange();
      fail(OriginOutcome.RESET);
      return;
    }
    exchange.read();
  }

  private void succeed() {
    StoredObject stored = object;
    for (Slice slice : runs.takeSlices()) {
      fetcher.completed(stored, slice);
      if (stored.rangeable() && !slice.isComplete()) {
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
    log.warn("origin {} failed fetching {} of {} ({}): {}", request.route().name(),
        probeRange != null ? probeRange : "bytes " + position + "-" + (end - 1), request.target(), outcome.tag(),
        cause.toString());
    fail(outcome);
  }

  private void fail(OriginFailureException cause) {
    log.warn("fetch of {} from origin {} failed: {}", request.target(), request.route().name(), cause.getMessage());
    fail(OriginOutcome.RESET);
  }

  private void fail(OriginOutcome outcome) {
    if (ended) {
      return;
    }
    failWithoutLimiter(outcome == OriginOutcome.TIMEOUT);
    finish();
  }

  /** Fails the head awaited and the claims, and releases the slices. */
  private void failWithoutLimiter() {
    failWithoutLimiter(false);
  }

  private void failWithoutLimiter(boolean timeout) {
    if (mine == pending && pending != null && pending.state() == PendingObject.State.AWAITING) {
      fetcher.coordinator.fail(pending, timeout, 0);
    }
    if (mine != null) {
      mine.fail(timeout, 0); // no-op once its head was handled
    }
    if (reservation != null) {
      runs.addAll(pending.take(reservation)); // claimed for this probe by the one that published
      reservation = null;
    }
    runs.end(true);
  }

  private void abortExchange() {
    OriginExchange ex = exchange;
    exchange = null;
    if (ex != null) {
      ex.abort();
    }
  }

  private void finish() {
    if (!ended) {
      ended = true;
      request.route().limiter().done(demand);
    }
  }
}
