package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.origin.FetchCoordinator;
import fr.acclermont.gateway.origin.PendingObject;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides how an accepted request is answered: from a fresh stored object, whose present slices
 * are served and missing ones fetched by range ({@link SliceResponder}); by waiting for the head of
 * the same object being probed ({@link PendingResponder}); by leading a new probe; or by passing it
 * through ({@link ForwardResponder}). Thread-safe: it holds only the shared services.
 */
final class ResponderChooser {

  private final GatewayServices services;

  ResponderChooser(GatewayServices services) {
    this.services = requireNonNull(services, "services");
  }

  /** How to answer an accepted request; may record the cache outcome on it. */
  Responder choose(ClientRequest client) {
    HttpRequest request = client.request();
    HttpMethod method = request.method();
    if (!CachePolicy.requestCacheable(method, request.headers())) {
      client.outcome(CacheOutcome.BYPASS);
      String fwd = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? "bypass" : "method";
      return new ForwardResponder(client, fwd);
    }
    if (CachePolicy.requestForbidsStoredResponse(request.headers())) {
      return fetch(client, "request");
    }
    StoredObject stored = storedObject(client);
    if (stored == null) {
      return fetch(client, "miss");
    }
    if (!stored.isFresh(services.clock().millis())) {
      client.outcome(CacheOutcome.STALE);
      return fetch(client, "stale");
    }
    return fromStore(client, stored);
  }

  private Responder fromStore(ClientRequest client, StoredObject stored) {
    client.outcome(CacheOutcome.HIT);
    return new SliceResponder(client, stored, null);
  }

  /**
   * A GET that the cache cannot answer waits for the head of the same object being probed, or
   * leads a new probe; a HEAD passes through (a probe would fetch body bytes nobody asked for).
   */
  private Responder fetch(ClientRequest client, String fwd) {
    if (!HttpMethod.GET.equals(client.method()) || services.passes().passes(client.key())) {
      return new ForwardResponder(client, fwd);
    }
    FetchCoordinator.Lease lease = services.fetches().joinOrLead(client.key());
    String probeRange = ProbeRange.of(client.request().headers(), services.fetcher().sliceSize());
    long[] bounds = ProbeRange.bounds(probeRange);
    if (!lease.leader()) {
      PendingObject.Reservation reservation = client.request().headers().contains(HttpHeaderNames.RANGE)
          && bounds != null ? lease.pending().reserve(bounds[0], bounds[1]) : null;
      if (reservation != null) {
        // A range elsewhere in the object: probe it now rather than after the leader's head.
        PendingObject mine = services.fetches().sideWait(lease.pending());
        services.fetcher().sideProbe(lease.pending(), mine, reservation, FetchRequests.of(client), probeRange,
            client.ctx().channel().eventLoop());
        return new PendingResponder(client, mine, fwd, false, () -> fallback(client, fwd));
      }
      services.metrics().coalesced();
      return new PendingResponder(client, lease.pending(), fwd, true, () -> fallback(client, fwd));
    }
    if (fwd.equals("miss")) {
      // The object may have been published between the store lookup and this lease.
      StoredObject stored = freshObject(client);
      if (stored != null) {
        services.fetches().abandon(lease.pending());
        return fromStore(client, stored);
      }
    }
    PendingObject.Reservation reservation = bounds != null ? lease.pending().reserve(bounds[0], bounds[1]) : null;
    services.fetcher().probe(lease.pending(), reservation, FetchRequests.of(client), probeRange,
        client.ctx().channel().eventLoop());
    return new PendingResponder(client, lease.pending(), fwd, false, () -> new ForwardResponder(client, fwd));
  }

  /**
   * For a client whose object could not be shared: it may be in the store meanwhile (then read it),
   * or it was not storable (then the client fetches on its own).
   */
  private Responder fallback(ClientRequest client, String fwd) {
    StoredObject stored = freshObject(client);
    return stored != null ? fromStore(client, stored) : new ForwardResponder(client, fwd);
  }

  /**
   * The stored object: from memory, or from the disk tier (its metadata then goes to memory, and
   * its slices follow as they are read).
   */
  private @Nullable StoredObject storedObject(ClientRequest client) {
    StoredObject stored = services.memory().object(client.key());
    if (stored == null && services.disk() != null) {
      stored = services.disk().object(client.key());
      if (stored != null) {
        services.memory().putObject(stored);
      }
    }
    return stored;
  }

  private @Nullable StoredObject freshObject(ClientRequest client) {
    StoredObject stored = storedObject(client);
    return stored != null && stored.isFresh(services.clock().millis()) ? stored : null;
  }
}
