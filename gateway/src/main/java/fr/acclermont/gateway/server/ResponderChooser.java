package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.CacheRules;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.ForwardReason;
import fr.acclermont.gateway.cache.RequestDirectives;
import fr.acclermont.gateway.cache.SliceKey;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.StaleReason;
import fr.acclermont.gateway.origin.FetchCoordinator;
import fr.acclermont.gateway.origin.FetchFailure;
import fr.acclermont.gateway.origin.Fetches;
import fr.acclermont.gateway.origin.PendingObject;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides how an accepted request is answered: from a fresh stored object, whose present slices
 * are served and missing ones fetched by range ({@link SliceResponder}); by waiting for the head of
 * the same object being probed ({@link PendingResponder}); by leading a new probe; or by passing it
 * through ({@link ForwardResponder}). Each responder is given the collaborators it uses ({@link
 * StoreReading}, {@link Forwarding}). Thread-safe: it holds only what every connection shares.
 */
final class ResponderChooser {

  private final GatewayServices services;
  private final StoreReading reading;
  private final Forwarding forwarding;
  private final Storage storage;
  private final Fetches fetches;
  private final CacheStatus statuses;

  ResponderChooser(GatewayServices services) {
    this.services = requireNonNull(services, "services");
    this.reading = services.storeReading();
    this.forwarding = services.forwarding();
    this.storage = reading.storage();
    this.fetches = reading.fetches();
    this.statuses = reading.statuses();
  }

  /**
   * How to answer an accepted request; may record the cache outcome on it. Whether the stored
   * copy satisfies the request's directives is {@link CacheRules#fit}'s to say (RFC 9111 5.2.1,
   * with the reload interval); {@code only-if-cached} never reaches the origin, and
   * {@code no-store} passes through unstored what the store cannot answer.
   */
  Responder choose(ClientRequest client) {
    HttpRequest request = client.request();
    HttpMethod method = request.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      client.outcome(CacheOutcome.BYPASS);
      return new ForwardResponder(client, forwarding, ForwardReason.METHOD);
    }
    RequestDirectives directives = RequestDirectives.of(request.headers());
    StoredObject stored = storedObject(client);
    long now = services.clock().millis();
    CacheRules.Fit fit = stored == null ? CacheRules.Fit.NONE : services.rules().fit(stored, directives, now);
    if (directives.onlyIfCached()) {
      return onlyIfCached(client, stored, fit);
    }
    if (fit == CacheRules.Fit.FRESH) {
      return fromStore(client, stored);
    }
    if (fit == CacheRules.Fit.STALE) {
      return maxStale(client, stored, now);
    }
    if (directives.noStore()) {
      // RFC 9111 5.2.1.5: nothing of this exchange is stored, so no probe (which would store it).
      client.outcome(CacheOutcome.BYPASS);
      return new ForwardResponder(client, forwarding, ForwardReason.BYPASS);
    }
    if (stored == null) {
      return fetch(client, ForwardReason.MISS, null);
    }
    if (directives.constrains()) {
      // A reload (or a max-age, min-fresh) the copy does not meet: one revalidation per object,
      // coalesced, rather than one full fetch per student (cache.reload-revalidate-interval).
      return fetch(client, ForwardReason.REQUEST, stored);
    }
    client.outcome(CacheOutcome.STALE);
    if (!services.originUp(client.route()) && mayStandIn(client, stored)) {
      // Offline: the origin is known down (and probed in the background); do not wait for it.
      return staleResponder(client, stored, 0, StaleReason.OFFLINE);
    }
    if (HttpMethod.GET.equals(method) && CachePolicy.mayServeWhileRevalidating(stored, now)) {
      revalidateInBackground(client, stored);
      client.outcome(CacheOutcome.HIT);
      return new SliceResponder(client, reading, stored,
          statuses.hit(stored.ttl(now),
              CacheStatus.Detail.STALE_WHILE_REVALIDATE));
    }
    return fetch(client, ForwardReason.STALE, stored);
  }

  /**
   * An {@code only-if-cached} request (RFC 9111 5.2.1.7): the stored copy if it satisfies the
   * request and holds every byte asked for (a missing slice would be fetched), else 504.
   */
  private Responder onlyIfCached(ClientRequest client, @Nullable StoredObject stored, CacheRules.Fit fit) {
    if (stored != null && fit != CacheRules.Fit.NONE && holds(client, stored)) {
      return fit == CacheRules.Fit.FRESH ? fromStore(client, stored)
          : maxStale(client, stored, services.clock().millis());
    }
    client.outcome(CacheOutcome.MISS);
    return new OnlyIfCachedResponder(client, statuses);
  }

  /** A stale copy the client accepts ({@code max-stale}, RFC 9111 5.2.1.2): served without asking the origin. */
  private Responder maxStale(ClientRequest client, StoredObject stale, long now) {
    client.outcome(CacheOutcome.HIT);
    return new SliceResponder(client, reading, stale,
        statuses.hit(stale.ttl(now), CacheStatus.Detail.MAX_STALE));
  }

  private Responder fromStore(ClientRequest client, StoredObject stored) {
    client.outcome(CacheOutcome.HIT);
    return new SliceResponder(client, reading, stored, null);
  }

  /** A stale copy standing in for an origin in error or out of reach, marked so in {@code Cache-Status}. */
  private Responder staleResponder(ClientRequest client, StoredObject stale, int fwdStatus, StaleReason reason) {
    client.outcome(CacheOutcome.STALE);
    services.metrics().staleResponse(reason);
    return new SliceResponder(client, reading, stale,
        statuses.stale(stale.ttl(services.clock().millis()), fwdStatus, detail(reason)));
  }

  /** The {@code Cache-Status} detail of a stale response, for the metrics' reason: the same token. */
  private static CacheStatus.Detail detail(StaleReason reason) {
    return switch (reason) {
      case OFFLINE -> CacheStatus.Detail.OFFLINE;
      case ORIGIN_ERROR -> CacheStatus.Detail.ORIGIN_ERROR;
      case ORIGIN_UNREACHABLE -> CacheStatus.Detail.ORIGIN_UNREACHABLE;
    };
  }

  /**
   * Whether a stale copy may stand in for the origin now (stale-if-error, the offline window),
   * and holds every byte the client asks for: a copy with slices missing would need the origin it
   * stands in for, and cut the client mid-body; such a client gets 502/504 instead.
   */
  private boolean mayStandIn(ClientRequest client, StoredObject stale) {
    return services.rules().mayServeStaleOnError(stale, services.clock().millis()) && holds(client, stale);
  }

  /** Whether every slice of the bytes the client asks for is complete in memory or on disk. */
  private boolean holds(ClientRequest client, StoredObject stored) {
    long from = 0;
    long to = stored.length();
    if (HttpMethod.HEAD.equals(client.method())) {
      return true;
    }
    ByteRange range = ByteRange.of(client.request().headers().get(HttpHeaderNames.RANGE), stored.length());
    if (stored.status() == 200 && range.outcome() == ByteRange.Outcome.PARTIAL) {
      from = range.first();
      to = range.last() + 1;
    }
    for (long index = from / stored.sliceSize(); index * stored.sliceSize() < to; index++) {
      SliceKey slice = stored.slice((int) index);
      if (!storage.complete(slice)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Starts one revalidation of {@code stale} that no client waits for (stale-while-revalidate):
   * unless one is already in flight for the object, which then serves for this client too.
   */
  private void revalidateInBackground(ClientRequest client, StoredObject stale) {
    FetchCoordinator.Lease lease = fetches.joinOrLead(client.key());
    if (lease.leader()) {
      fetches.revalidate(lease.pending(), stale, null, FetchRequests.of(client),
          "bytes=0-" + (fetches.sliceSize() - 1), client.ctx().channel().eventLoop());
    }
  }

  /**
   * A GET that the cache cannot answer waits for the head of the same object being probed, or
   * leads a new probe (a revalidation when a stale copy with validators is held); a HEAD passes
   * through (a probe would fetch body bytes nobody asked for).
   *
   * @param stale the stale stored copy, or null on a miss: it stands in if the origin fails
   */
  private Responder fetch(ClientRequest client, ForwardReason fwd, @Nullable StoredObject stale) {
    if (!HttpMethod.GET.equals(client.method()) || services.passes().passes(client.key())) {
      return new ForwardResponder(client, forwarding, fwd);
    }
    if (client.request().headers().contains(HttpHeaderNames.AUTHORIZATION)
        && services.passes().passesWithCredentials(client.key())) {
      return new ForwardResponder(client, forwarding, fwd); // its last answer with credentials was not shareable
    }
    if (stale == null && !services.minUses().stores(client.key())) {
      // Not requested often enough yet to be stored (cache.min-uses): a one-off URL stays out.
      return new ForwardResponder(client, forwarding, fwd);
    }
    if (services.variants().full(client.key(), storage::holds)) {
      // One variant too many of its URL (cache.max-variants): its answer would not be stored.
      services.variants().refusedOne();
      return new ForwardResponder(client, forwarding, fwd);
    }
    Function<FetchFailure, @Nullable Responder> onError = failure -> onOriginError(client, stale, failure);
    CacheKey waited = client.key();
    String probeRange = ProbeRange.of(client.request().headers(), fetches.sliceSize());
    long[] bounds = ProbeRange.bounds(probeRange);
    FetchCoordinator.Lease lease = fetches.joinOrLead(client.key(), bounds);
    if (!lease.leader()) {
      PendingObject.Reservation reservation = stale == null && client.request().headers().contains(HttpHeaderNames.RANGE)
          && bounds != null ? lease.pending().reserve(bounds[0], bounds[1]) : null;
      if (reservation != null) {
        // A range elsewhere in the object: probe it now rather than after the leader's head.
        PendingObject mine = fetches.sideWait(lease.pending());
        fetches.sideProbe(lease.pending(), mine, reservation, FetchRequests.of(client), probeRange,
            client.ctx().channel().eventLoop());
        return new PendingResponder(client, reading, mine, fwd, PendingResponder.Probe.OWN,
            () -> afterWait(client, waited, () -> fallback(client, fwd)), onError);
      }
      services.metrics().coalesced();
      return new PendingResponder(client, reading, lease.pending(), fwd, PendingResponder.Probe.JOINED,
          () -> afterWait(client, waited, () -> fallback(client, fwd)), onError);
    }
    if (client.rekey()) {
      // The probe this client missed was answered, with a Vary, between its key lookup and this
      // lease, and its variant lives under another key now: looked up (and coalesced) there.
      fetches.abandon(lease.pending());
      return choose(client);
    }
    if (fwd != ForwardReason.REQUEST) {
      // The object may have been published (or refreshed) between the store lookup and this lease.
      StoredObject stored = freshObject(client);
      if (stored != null) {
        fetches.abandon(lease.pending());
        return fromStore(client, stored);
      }
    }
    PendingObject.Reservation reservation = lease.reservation();
    if (stale != null && (stale.etag() != null || stale.lastModified() != null)) {
      fetches.revalidate(lease.pending(), stale, reservation, FetchRequests.of(client), probeRange,
          client.ctx().channel().eventLoop());
    } else {
      fetches.probe(lease.pending(), reservation, FetchRequests.of(client), probeRange,
          client.ctx().channel().eventLoop());
    }
    return new PendingResponder(client, reading, lease.pending(), fwd, PendingResponder.Probe.OWN,
        () -> afterWait(client, waited, () -> new ForwardResponder(client, forwarding, fwd)), onError);
  }

  /**
   * For a client whose probe failed (no answer, or none in time) or met an origin error (a 5xx): the
   * stale copy, where it may stand in (RFC 9111 4.2.4); null for the error (or the origin's own
   * answer) instead.
   */
  private @Nullable Responder onOriginError(ClientRequest client, @Nullable StoredObject stale, FetchFailure failure) {
    if (stale == null || !mayStandIn(client, stale)) {
      return null;
    }
    return staleResponder(client, stale, failure.status(),
        failure.kind() == FetchFailure.Kind.ORIGIN_STATUS ? StaleReason.ORIGIN_ERROR : StaleReason.ORIGIN_UNREACHABLE);
  }

  /**
   * For a client whose wait under the key {@code waited} ended without an object it may read: when
   * the answer taught its URL's {@code Vary} and this client belongs under another key now, it is
   * answered afresh under that key (a hit, a wait for that variant's probe, or a probe of its own:
   * one fetch per distinct variant, not one per client); otherwise {@code otherwise}.
   */
  private Responder afterWait(ClientRequest client, CacheKey waited, Supplier<Responder> otherwise) {
    return client.key().equals(waited) ? otherwise.get() : choose(client);
  }

  /**
   * For a client whose object could not be shared: it may be in the store meanwhile (then read it),
   * or it was not storable (then the client fetches on its own).
   */
  private Responder fallback(ClientRequest client, ForwardReason fwd) {
    StoredObject stored = freshObject(client);
    return stored != null ? fromStore(client, stored) : new ForwardResponder(client, forwarding, fwd);
  }

  /** The stored object, from whichever tier holds it ({@link Storage#object}). */
  private @Nullable StoredObject storedObject(ClientRequest client) {
    return storage.object(client.key());
  }

  private @Nullable StoredObject freshObject(ClientRequest client) {
    StoredObject stored = storedObject(client);
    return stored != null && stored.isFresh(services.clock().millis()) ? stored : null;
  }
}
