package fr.acclermont.gateway.origin;

import fr.acclermont.gateway.metrics.OriginOutcome;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Receives one origin exchange's events, on the origin channel's event loop (which is the client
 * channel's loop: see {@link OriginConnectionPool}).
 */
public interface OriginResponseListener {

  /** The request head is on the wire: a request with a body may now stream it. */
  default void onRequestHeadSent() {
  }

  /**
   * The client stopped sending the request body: nothing came for the origin's idle timeout while
   * the origin had taken all it was given, or it came slower than
   * {@code timeouts.request-body-min-rate}. The exchange is over and its connection closed;
   * nothing else is called. Only a listener that streams a request body sees it.
   *
   * @param why what the client did, for the log
   */
  default void onRequestBodyStalled(String why) {
  }

  /**
   * An interim response (1xx) before the final one: only a pass-through may forward it, to a client
   * that can parse it. Never {@code 100 Continue} (the gateway answers its clients' expectation
   * itself) nor {@code 101} (an upgrade the gateway never asks for fails the exchange). Any number
   * may come, each followed by more of them or by {@link #onResponse}.
   */
  default void onInterim(HttpResponse interim) {
  }

  /** The response head, with its final status (2xx to 5xx). */
  void onResponse(HttpResponse response);

  /**
   * A piece of the body. The listener owns {@code content} and must release it. A
   * {@link io.netty.handler.codec.http.LastHttpContent} ends the exchange successfully.
   */
  void onContent(HttpContent content);

  /**
   * The exchange failed: before the response head (then nothing else was called) or mid-body (the
   * body is incomplete and must never be presented as complete). Called at most once.
   */
  void onFailure(OriginOutcome outcome, Throwable cause);
}
