package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.CacheStatus;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Answers an {@code only-if-cached} request that nothing stored satisfies: 504 Gateway Timeout,
 * without contacting the origin (RFC 9111 5.2.1.7), {@code Cache-Status: edge; detail=only-if-cached}.
 * Event loop only.
 */
final class OnlyIfCachedResponder implements Responder {

  private final ClientRequest client;
  private final CacheStatus statuses;

  OnlyIfCachedResponder(ClientRequest client, CacheStatus statuses) {
    this.client = client;
    this.statuses = statuses;
  }

  @Override
  public void start() {
    HttpResponse response = ErrorResponses.create(client.ctx(), HttpResponseStatus.GATEWAY_TIMEOUT,
        "only-if-cached, and no stored response satisfies the request", false);
    response.headers().set(CacheStatus.HEADER,
        statuses.notForwarded(CacheStatus.Detail.ONLY_IF_CACHED));
    client.answerWhole(response);
  }

  @Override
  public void onWritable() {
  }

  @Override
  public void onClientClosed() {
  }
}
