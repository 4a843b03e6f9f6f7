package fr.acclermont.gateway.server;

import fr.acclermont.gateway.metrics.DenialReason;
import fr.acclermont.gateway.security.Entitlements;
import org.jspecify.annotations.Nullable;

/**
 * Answers a request under an entitlement rule: asks the rule first, then answers as any request
 * ({@link ResponderChooser}: from the shared store or through the origin) on yes, or with a 403
 * ({@link DeniedResponder}) on no. The check comes before the store is looked at, so nothing under
 * a rule is served unchecked: not from memory, not from the disk tier after a restart, not while
 * offline. The rule may answer later (an auth-forward question): events meanwhile are kept for
 * the responder that follows. Event loop only.
 */
final class EntitledResponder implements Responder {

  private final ClientRequest client;
  private final ResponderChooser chooser;
  private final Entitlements.Guard guard;
  /** The target as the client sent it: a signature is checked over it. */
  private final String sentTarget;
  private @Nullable Responder next;
  private boolean closed;

  EntitledResponder(ClientRequest client, ResponderChooser chooser, Entitlements.Guard guard, String sentTarget) {
    this.client = client;
    this.chooser = chooser;
    this.guard = guard;
    this.sentTarget = sentTarget;
  }

  @Override
  public void start() {
    guard.rule().check(client.request().headers(), sentTarget, guard.scope(), client.ctx().channel().eventLoop(),
        this::decided);
  }

  private void decided(@Nullable DenialReason denial) {
    if (closed) {
      return; // the client left while the rule was asking
    }
    Responder chosen = denial == null ? chooser.choose(client) : new DeniedResponder(client, denial);
    next = chosen;
    chosen.start();
  }

  @Override
  public void onWritable() {
    if (next != null) {
      next.onWritable();
    }
  }

  @Override
  public void onClientClosed() {
    closed = true;
    if (next != null) {
      next.onClientClosed();
    }
  }
}
