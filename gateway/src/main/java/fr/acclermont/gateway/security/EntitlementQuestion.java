package fr.acclermont.gateway.security;

import fr.acclermont.gateway.metrics.OriginOutcome;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginExchange;
import fr.acclermont.gateway.origin.OriginResponseListener;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.RequestBody;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One question to an entitlement endpoint: sends the request through the origin client (so the
 * origin's TLS, pool and health apply), reads and drops the body (the status is the answer, and a
 * drained connection goes back to the pool) and reports the status, or 0 when no answer came in
 * time. Reports exactly once, on the loop it was sent from. Event loop only.
 */
final class EntitlementQuestion implements OriginResponseListener {

  private static final Logger log = LoggerFactory.getLogger(EntitlementQuestion.class);

  private final OriginRoute route;
  private final IntConsumer answered;
  private OriginExchange exchange;
  private ScheduledFuture<?> timer;
  private int status;
  private boolean done;

  private EntitlementQuestion(OriginRoute route, IntConsumer answered) {
    this.route = route;
    this.answered = answered;
  }

  /** Sends {@code request} to {@code route} on {@code loop}; {@code answered} gets the status or 0. */
  static void send(OriginClient client, OriginRoute route, EventLoop loop, HttpRequest request, Duration timeout,
      IntConsumer answered) {
    EntitlementQuestion question = new EntitlementQuestion(route, answered);
    question.timer = loop.schedule(question::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
    question.exchange = client.exchange(route, loop, request, RequestBody.NONE, question);
  }

  private void timedOut() {
    if (!done) {
      log.warn("entitlement endpoint of origin {} did not answer in time", route.name());
      exchange.abort();
      end(0);
    }
  }

  @Override
  public void onResponse(HttpResponse response) {
    status = response.status().code();
    exchange.read();
  }

  @Override
  public void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    content.release();
    if (last) {
      end(status);
    } else {
      exchange.read();
    }
  }

  @Override
  public void onFailure(OriginOutcome outcome, Throwable cause) {
    log.info("entitlement endpoint of origin {} unreachable ({}): {}", route.name(), outcome, cause.toString());
    end(0);
  }

  private void end(int result) {
    if (done) {
      return;
    }
    done = true;
    timer.cancel(false);
    answered.accept(result);
  }
}
