package fr.acclermont.gateway.demo;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;

/** The default {@link FaultInjector}: reads the fault hooks of the query string. Stateless. */
final class QueryFaultInjector implements FaultInjector {

  static final QueryFaultInjector INSTANCE = new QueryFaultInjector();

  private QueryFaultInjector() {}

  @Override
  public Fault decide(HttpRequest request) {
    QueryParameters query = new QueryParameters(new QueryStringDecoder(request.uri()).parameters());
    if (query.flag("close-before-headers")) {
      return Fault.closeBeforeHeaders();
    }
    long status = query.number("status", 200, 599, -1);
    if (status >= 0) {
      return Fault.status((int) status);
    }
    long resetAfter = query.number("reset-after", 0, Long.MAX_VALUE, -1);
    if (resetAfter >= 0) {
      return Fault.resetAfter(resetAfter);
    }
    long stallAfter = query.number("stall-after", 0, Long.MAX_VALUE, -1);
    if (stallAfter >= 0) {
      long stallMillis = query.number("stall-for", 0, Long.MAX_VALUE, -1);
      return stallMillis < 0
          ? Fault.stallAfter(stallAfter)
          : Fault.stallAfter(stallAfter, Duration.ofMillis(stallMillis));
    }
    return Fault.none();
  }
}
