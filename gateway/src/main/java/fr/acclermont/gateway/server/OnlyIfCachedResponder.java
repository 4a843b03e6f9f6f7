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

  OnlyIfCachedResponder(ClientRequest client) {
    this.client = client;
  }

  @Override
  public void start() {
    HttpResponse response = ErrorResponses.create(client.ctx(), HttpResponseStatus.GATEWAY_TIMEOUT,
        "only-if-cached, and no stored response satisfies the request", false);
    response.headers().set(CacheStatus.HEADER,
        client.services().cacheStatus().notForwarded(CacheStatus.Detail.ONLY_IF_CACHED));
    client.answerWhole(response);
  }

  @Override
  public void onWritable() {
  }

  @Override
  public void onClientClosed() {
  }
}
