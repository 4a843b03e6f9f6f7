package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.OriginOutcome;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One way to ask a down origin (or parent) whether it is back: {@code HEAD} of its base path,
 * through the normal {@link OriginClient}, so the probe meets the same connect and response
 * timeouts as the requests it stands for and its connection is pooled for them when it works.
 * Runs on its loop.
 */
final class OriginProbe implements OriginHealth.Prober {

  private static final Logger log = LoggerFactory.getLogger(OriginProbe.class);

  private final Upstream upstream;
  private final OriginRoute route;
  private final OriginClient client;
  private final EventLoop loop;
  private final String via;

  OriginProbe(Upstream upstream, OriginClient client, EventLoop loop, String via) {
    this.upstream = requireNonNull(upstream, "upstream");
    this.route = upstream.route();
    this.client = requireNonNull(client, "client");
    this.loop = requireNonNull(loop, "loop");
    this.via = requireNonNull(via, "via");
  }

  /** Must run on the loop: the scheduler of {@link OriginHealth#probeThrough} runs it there. */
  @Override
  public void probe(OriginHealth.ProbeDone done) {
    HttpHeaders headers = new DefaultHttpHeaders()
        .set(HttpHeaderNames.HOST, route.authority())
        .add(HttpHeaderNames.VIA, via);
    DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, route.targetFor("/"),
        headers);
    // Built for the origin, as every request: the exchange re-aims it at a parent. It reports the
    // head (or the failure) to the upstream's health itself; this listener only ends the probe, so
    // the next one is scheduled, and counts it.
    client.probe(upstream, loop, head, new OriginResponseListener() {
      private boolean ended;

      @Override
      public void onResponse(HttpResponse response) {
        end(OriginHealth.isUpStatus(response.status().code()));
      }

      @Override
      public void onContent(HttpContent content) {
        content.release(); // a HEAD answer has no body bytes; only its end comes
      }

      @Override
      public void onFailure(OriginOutcome outcome, Throwable cause) {
        log.debug("probe of {} of {} failed ({}): {}", upstream, route.name(), outcome.tag(), cause.toString());
        end(false); // after a head, ignored: the probe already ended
      }

      private void end(boolean up) {
        if (ended) {
          return;
        }
        ended = true;
        if (!upstream.isParent()) {
          client.metrics().originProbe(route.name(), up); // a parent's state is gateway_parent_up
        }
        done.done(up);
      }
    });
  }
}
