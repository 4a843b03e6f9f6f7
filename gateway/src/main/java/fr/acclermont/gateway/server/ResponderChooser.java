package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.InFlightObject;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.origin.FetchCoordinator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides how an accepted request is answered: from a fresh stored copy ({@link HitResponder}),
 * by joining the fetch of the same object in flight ({@link InFlightResponder}), by leading a new
 * shared fetch, or by passing it through ({@link ForwardResponder}). Thread-safe: it holds only
 * the shared services.
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
    if (CachePolicy.rangeServableFromStore(method, request.headers())) {
      HitResponder hit = freshHit(client);
      if (hit != null) {
        return hit;
      }
    }
    if (!CachePolicy.requestCacheable(method, request.headers())) {
      client.outcome(CacheOutcome.BYPASS);
      String fwd = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? "bypass" : "method";
      return new ForwardResponder(client, fwd);
    }
    if (CachePolicy.requestForbidsStoredResponse(request.headers())) {
      return fetch(client, "request");
    }
    StoredObject stored = services.memory().object(client.key());
    if (stored == null) {
      return fetch(client, "miss");
    }
    if (!stored.isFresh(services.clock().millis())) {
      client.outcome(CacheOutcome.STALE);
      return fetch(client, "stale");
    }
    HitResponder hit = HitResponder.acquire(client, stored);
    if (hit == null) {
      services.memory().invalidate(client.key()); // a slice was evicted: the copy is unreadable
      return fetch(client, "miss");
    }
    client.outcome(CacheOutcome.HIT);
    return hit;
  }

  /**
   * A GET that the cache cannot answer joins the fetch of the same object already in flight, or
   * leads a new one; a HEAD passes through (filling would fetch a body nobody asked for).
   */
  private Responder fetch(ClientRequest client, String fwd) {
    if (!HttpMethod.GET.equals(client.method())) {
      return new ForwardResponder(client, fwd);
    }
    FetchCoordinator.Lease lease = services.fetches().joinOrLead(client.key(), () -> new InFlightObject(
        services.memory(), client.ctx().alloc(), client.key(), (int) services.config().cache().sliceSize()));
    if (lease.leader()) {
      // The object may have been published between the store lookup and this lease.
      HitResponder hit = freshHit(client);
      if (hit != null) {
        lease.object().abandon();
        services.fetches().finished(lease.object());
        return hit;
      }
      return new ForwardResponder(client, ForwardResponder.Mode.FILL, fwd, lease.object());
    }
    services.metrics().coalesced();
    return new InFlightResponder(client, lease.object(), fwd, true, () -> fallback(client, fwd));
  }

  /**
   * For a client that could not join a fetch: the object completed and was let go meanwhile (then
   * it is in the store), or it was not shareable (then the client fetches on its own).
   */
  private Responder fallback(ClientRequest client, String fwd) {
    HitResponder hit = freshHit(client);
    return hit != null ? hit : new ForwardResponder(client, fwd);
  }

  /** A responder from a fresh, complete stored copy, or null. */
  private @Nullable HitResponder freshHit(ClientRequest client) {
    StoredObject stored = services.memory().object(client.key());
    if (stored == null || !stored.isFresh(services.clock().millis())) {
      return null;
    }
    HitResponder hit = HitResponder.acquire(client, stored);
    if (hit != null) {
      client.outcome(CacheOutcome.HIT);
    }
    return hit;
  }
}
