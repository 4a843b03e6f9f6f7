package fr.acclermont.gateway.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;

/**
 * Reads the gateway's running totals from its meters, so the status page's figures are the ones
 * Prometheus scrapes: body bytes served to clients ({@code gateway_served_bytes_total}, every
 * source), bytes from the uplink ({@code gateway_origin_bytes_total}, every origin), requests
 * ({@code gateway_requests_seconds_count}) and those answered without the uplink (cache {@code hit},
 * and {@code collapsed} where counted apart). Stateless.
 */
final class MeterTotals {

  /** The {@code cache} values of requests that did not cost the uplink a fetch of their own. */
  static final Set<String> HIT_OUTCOMES = Set.of("hit", "collapsed");

  private MeterTotals() {}

  static TrafficHistory.Totals read(MeterRegistry registry) {
    long served = 0;
    for (Counter counter : registry.find("gateway.served.bytes").counters()) {
      served += (long) counter.count();
    }
    long uplink = 0;
    for (Counter counter : registry.find("gateway.origin.bytes").counters()) {
      uplink += (long) counter.count();
    }
    long requests = 0;
    long hits = 0;
    for (Timer timer : registry.find("gateway.requests").timers()) {
      requests += timer.count();
      if (HIT_OUTCOMES.contains(timer.getId().getTag("cache"))) {
        hits += timer.count();
      }
    }
    return new TrafficHistory.Totals(served, uplink, requests, hits);
  }
}
