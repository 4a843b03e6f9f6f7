package fr.acclermont.gateway.security;

import fr.acclermont.gateway.metrics.DenialReason;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A rule whose links are signed ({@code mode: signed-url}): decided at once, by {@link SignedUrls}. */
final class SignedUrlRule implements EntitlementRule {

  private final SignedUrls verifier;

  SignedUrlRule(SignedUrls verifier) {
    this.verifier = verifier;
  }

  @Override
  public String cacheTarget(String pathAndQuery) {
    return SignedUrls.unsigned(pathAndQuery);
  }

  @Override
  public void check(HttpHeaders headers, String pathAndQuery, String scope, EventLoop loop,
      Consumer<@Nullable DenialReason> decided) {
    decided.accept(verifier.check(pathAndQuery));
  }
}
