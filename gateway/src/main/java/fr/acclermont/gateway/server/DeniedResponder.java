package fr.acclermont.gateway.server;

import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.DenialReason;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request an entitlement rule refused: 403 with the reason, {@code no-store}, the
 * connection kept (a pupil with one expired link goes on with the others). Logged with the reason
 * and the target without its signature (never a secret), counted by reason. Event loop only.
 */
final class DeniedResponder implements Responder {

  private static final Logger log = LoggerFactory.getLogger(DeniedResponder.class);

  private final ClientRequest client;
  private final DenialReason reason;

  DeniedResponder(ClientRequest client, DenialReason reason) {
    this.client = client;
    this.reason = reason;
  }

  @Override
  public void start() {
    client.outcome(CacheOutcome.BYPASS);
    client.metrics().entitlementDenied(reason);
    log.info("403 to {} for {} {}: not entitled ({})", client.ctx().channel().remoteAddress(), client.method(),
        SecretMasking.target(client.pathAndQuery()), reason.tag());
    HttpResponse response = ErrorResponses.create(client.ctx(), HttpResponseStatus.FORBIDDEN,
        "not entitled (" + reason.tag() + ")", false);
    client.answerWhole(response);
  }

  @Override
  public void onWritable() {
  }

  @Override
  public void onClientClosed() {
  }
}
