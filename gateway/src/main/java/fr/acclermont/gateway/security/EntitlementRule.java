package fr.acclermont.gateway.security;

import fr.acclermont.gateway.metrics.DenialReason;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** How the requests under one entitlement rule are checked. Thread-safe. */
public interface EntitlementRule {

  /** The target stored and fetched for {@code pathAndQuery}: what identifies the user is removed. */
  String cacheTarget(String pathAndQuery);

  /**
   * Decides whether the request may be served, on {@code loop}: {@code decided} gets null for yes,
   * or why not. It may be called before this returns (a decision that needs nobody's answer).
   *
   * @param headers the client's request headers
   * @param pathAndQuery the request's target, as the client sent it
   * @param scope the book the request belongs to: the rule's prefix and the next path segment
   */
  void check(HttpHeaders headers, String pathAndQuery, String scope, EventLoop loop,
      Consumer<@Nullable DenialReason> decided);
}
