package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.http.HopByHopHeaders;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A probe: the first fetch of an object nobody has the head of (see {@link SliceFetch}). Its head
 * publishes the object, abandons it (not storable), fails it (an origin error), or, for a
 * revalidation of a stale copy, refreshes that copy on a 304. Event loop only.
 */
final class ProbeFetch extends SliceFetch {

  /** The object's shared wait, which the first probe head to arrive publishes. */
  private final PendingObject pending;
  /** The wait of the client that sent this probe: {@link #pending} for the leader, its own for a side probe. */
  private final PendingObject mine;
  /** The run this probe reserved in {@link #pending}, until its head arrives or it ends. */
  private PendingObject.@Nullable Reservation reservation;
  private final String probeRange;
  /** For a revalidation: the stale stored object whose validators the probe sends. */
  private @Nullable StoredObject revalidating;
  /** The origin's error answer being read, while it is. */
  private OriginErrorAnswer.@Nullable Collector errorAnswer;

  /** A probe; {@code mine} is {@code pending} for the leader, a wait of its own for a side probe. */
  ProbeFetch(SliceFetcher fetcher, PendingObject pending, PendingObject mine,
      PendingObject.@Nullable Reservation reservation, FetchRequest request, String range, EventLoop loop) {
    this(fetcher, pending, mine, reservation, request, range, loop, FetchKind.DEMAND);
  }

  /**
   * A probe a client waits for ({@link FetchKind#DEMAND}), or a prefetch's
   * ({@link FetchKind#BACKGROUND}), which takes a background place. A probe runs to its end.
   */
  ProbeFetch(SliceFetcher fetcher, PendingObject pending, PendingObject mine,
      PendingObject.@Nullable Reservation reservation, FetchRequest request, String range, EventLoop loop,
      FetchKind kind) {
    super(fetcher, request, loop, kind, null);
    this.pending = requireNonNull(pending, "pending");
    this.mine = requireNonNull(mine, "mine");
    this.probeRange = requireNonNull(range, "range");
    this.reservation = reservation;
  }

  /** Makes this probe a revalidation of {@code stale} (before {@link #start}). */
  void revalidating(StoredObject stale) {
    this.revalidating = stale;
  }

  @Override
  String range() {
    return probeRange;
  }

  /** Never: its answer publishes the object for every client waiting on it, so it runs to its end. */
  @Override
  boolean stopsUnwatched() {
    return false;
  }

  @Override
  void addHeaders(HttpHeaders headers) {
    if (revalidating != null) {
      // RFC 9111 4.3.1: the stored validators. A 304 confirms the stored copy; a 206 is a new one.
      if (revalidating.etag() != null) {
        headers.set(HttpHeaderNames.IF_NONE_MATCH, revalidating.etag());
      }
      if (revalidating.lastModified() != null) {
        headers.set(HttpHeaderNames.IF_MODIFIED_SINCE, revalidating.lastModified());
      }
    }
  }

  /**
   * An interim response before the probe's head (e.g. {@code 103 Early Hints}): relayed to the
   * client that sent this probe, and to no one else; it is not part of the object.
   */
  @Override
  public void onInterim(HttpResponse interim) {
    if (!ended) {
      request.interims().accept(interim);
    }
  }

  /** The probe's answer: publishes the object and claims the run it brings, or abandons it. */
  @Override
  boolean onHead(HttpResponse response) {
    if (revalidating != null && response.status().code() == 304) {
      return refresh(response);
    }
    ProbeAnswer answer = ProbeAnswer.read(response, request.clientHeaders(), pending.key(), fetcher.storage::nextVersion,
        fetcher.sliceSize, fetcher.storage.maxObjectBytes(), fetcher.rules(), requestTimeMillis,
        fetcher.clock.millis());
    if (answer.meaning() == ProbeAnswer.Meaning.ORIGIN_ERROR) {
      return originError(response);
    }
    if (answer.meaning() != ProbeAnswer.Meaning.OBJECT) {
      if (answer.refusedForCredentials() && mine == pending) {
        fetcher.passes.rememberWithCredentials(pending.key()); // hit-for-pass for credentials only
      }
      return abandon(answer.notStored(), answer.meaning());
    }
    StoredObject candidate = answer.object();
    long first = answer.first();
    end = answer.end();
    position = first;
    StoredObject stored;
    List<ClaimedRuns.Segment> claims = null;
    synchronized (pending) { // the heads of side-by-side probes of one object, one at a time
      if (pending.state() == PendingObject.State.PUBLISHED && !pending.object().key().equals(candidate.key())) {
        // Another probe published another variant of the URL (its answer revealed a Vary this one's
        // request differs on): this client looks its own variant up again, as the waiters do.
        return abandonSideProbe();
      } else if (pending.state() == PendingObject.State.PUBLISHED) {
        stored = pending.object();
      } else if (pending.state() != PendingObject.State.AWAITING) {
        // A side probe whose leader was abandoned or failed: it does not publish on its own;
        // its client falls back (to a stored copy, or a pass-through).
        return abandonSideProbe();
      } else if (!fetcher.variants.admit(candidate, fetcher.storage::holds)) {
        // One variant too many of its URL (cache.max-variants): passed through unstored, like an
        // answer that may not be stored, but not remembered as unshareable (the URL's other
        // variants are stored and stay hits).
        return abandon("its URL holds cache.max-variants variants already", ProbeAnswer.Meaning.NOT_ABOUT_THE_OBJECT);
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
        if (claims != null) {
          mine.probing(first, end); // the run is this probe's client's own (served bytes by source)
        }
        claimReservations(candidate);
        fetcher.storage.publish(candidate);
        fetcher.variants.taught(candidate); // once stored: a request keyed by it finds the object
        fetcher.coordinator.publish(pending, candidate, response.status().code());
        stored = candidate;
      }
    }
    if (stored != candidate && !sameVersion(stored, candidate)) {
      // A side probe whose object another probe published first: same version, or nothing.
      fetcher.storage.changed(stored);
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
      runs.end();
      abortExchange();
      object = stored;
      if (mine != pending) {
        mine.publish(stored, response.status().code());
      }
      finish();
      return false;
    }
    if (stored != candidate) {
      // Another probe published the object (and claimed this one's run for it): the run is still
      // this probe's client's own. Noted before any of its bytes is written.
      mine.probing(first, end);
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
    StoredObject refreshed = fetcher.rules().refreshed(revalidating, notModified, requestTimeMillis,
        fetcher.clock.millis());
    synchronized (pending) {
      if (pending.state() != PendingObject.State.AWAITING) {
        return abandonSideProbe();
      }
      if (reservation != null) {
        pending.take(reservation); // this probe brings no bytes
        reservation = null;
      }
      claimReservations(refreshed);
      fetcher.storage.publish(refreshed);
      fetcher.coordinator.publish(pending, refreshed, 304);
    }
    object = refreshed;
    position = 0;
    end = 0;
    return true;
  }

  /**
   * The origin answered an error (a 5xx). An error says nothing about the object: it is not
   * remembered as unshareable. A small one is read whole and handed to every waiter, which serves
   * a stale copy where it may (RFC 9111 4.2.4) or else that answer; a large one (or one cut short)
   * is not kept, and each waiter passes the error through on its own request.
   */
  private boolean originError(HttpResponse response) {
    int status = response.status().code();
    log.info("origin {} answered {} for {}", request.route().name(), status, request.target());
    if (reservation != null) {
      runs.addAll(pending.take(reservation));
      reservation = null;
      runs.end();
    }
    if (OriginErrorAnswer.mayKeep(response)) {
      errorAnswer = new OriginErrorAnswer.Collector(response);
      return true; // read the body on: onContent gathers it
    }
    abortExchange();
    failWithError(status, null);
    return false;
  }

  @Override
  public void onContent(HttpContent content) {
    OriginErrorAnswer.Collector collector = errorAnswer;
    if (collector == null) {
      super.onContent(content);
      return;
    }
    boolean fits;
    try {
      fits = !ended && collector.add(content.content());
    } finally {
      content.release();
    }
    if (ended) {
      return;
    }
    if (!fits) {
      errorAnswer = null;
      abortExchange();
      failWithError(collector.status(), null);
    } else if (content instanceof LastHttpContent) {
      errorAnswer = null;
      exchange = null;
      failWithError(collector.status(), collector.answer());
    } else {
      exchange.read();
    }
  }

  /** Ends the wait with the origin's error, kept whole or not; a side probe speaks for its own client only. */
  private void failWithError(int status, @Nullable OriginErrorAnswer answer) {
    if (mine == pending && pending.state() == PendingObject.State.AWAITING) {
      fetcher.coordinator.fail(pending, status, answer);
    }
    mine.fail(status, answer);
    finish();
  }

  private static boolean sameVersion(StoredObject a, StoredObject b) {
    return a.length() == b.length() && a.rangeable() == b.rangeable() && a.status() == b.status()
        && Objects.equals(a.etag(), b.etag()) && Objects.equals(a.lastModified(), b.lastModified());
  }

  /** Ends this probe at its head: its client (and only it) fetches on its own. */
  private boolean abandonSideProbe() {
    mine.abandon(); // no-op for a leader whose wait already ended
    if (reservation != null) {
      runs.addAll(pending.take(reservation));
      reservation = null;
      runs.end();
    }
    abortExchange();
    finish();
    return false;
  }

  /**
   * The probe's answer is not stored. {@link ProbeAnswer.Meaning#NOT_STORABLE}: the object itself
   * may not be shared, and its URL is passed through for a while; {@link
   * ProbeAnswer.Meaning#NOT_ABOUT_THE_OBJECT}: only this answer is not stored.
   */
  private boolean abandon(@Nullable String why, ProbeAnswer.Meaning meaning) {
    log.debug("not storing {}: {}", pending.key(), why);
    if (mine == pending) {
      if (meaning == ProbeAnswer.Meaning.NOT_STORABLE) {
        fetcher.passes.remember(pending.key()); // not shareable: pass it for a while (hit-for-pass)
      }
      fetcher.coordinator.abandon(pending);
    }
    return abandonSideProbe(); // a side probe speaks for its own client only
  }

  @Override
  void failHead(FetchFailure failure) {
    OriginErrorAnswer.Collector collector = errorAnswer;
    if (collector != null) {
      // The error answer was cut or stalled: the waiters pass the error through themselves.
      errorAnswer = null;
      failWithError(collector.status(), null);
      return;
    }
    if (mine == pending && pending.state() == PendingObject.State.AWAITING) {
      fetcher.coordinator.fail(pending, failure);
    }
    mine.fail(failure); // no-op once its head was handled
    if (reservation != null) {
      runs.addAll(pending.take(reservation)); // claimed for this probe by the one that published
      reservation = null;
    }
  }
}
