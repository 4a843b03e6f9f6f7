package fr.acclermont.gateway.server;

import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.StaleReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The savings figures of a gateway's metrics at one moment, for tests that send a known traffic
 * and compare two moments: requests by {@code cache} outcome, body bytes served by {@code source},
 * bytes received from the origin {@code cloud}, stale responses by reason.
 */
record ServedFigures(Map<CacheOutcome, Long> requests, Map<ByteSource, Double> served, double originBytes,
    Map<StaleReason, Double> stale) {

  static ServedFigures of(Gateway gateway) {
    MeterRegistry registry = gateway.metrics().registry();
    Map<CacheOutcome, Long> requests = new EnumMap<>(CacheOutcome.class);
    for (CacheOutcome outcome : CacheOutcome.values()) {
      requests.put(outcome, registry.find("gateway.requests").tag("cache", outcome.tag()).timers().stream()
          .mapToLong(Timer::count).sum());
    }
    Map<ByteSource, Double> served = new EnumMap<>(ByteSource.class);
    for (ByteSource source : ByteSource.values()) {
      served.put(source, registry.get("gateway.served.bytes").tag("source", source.tag()).counter().count());
    }
    Map<StaleReason, Double> stale = new EnumMap<>(StaleReason.class);
    for (StaleReason reason : StaleReason.values()) {
      stale.put(reason, registry.get("gateway.stale.responses").tag("reason", reason.tag()).counter().count());
    }
    return new ServedFigures(requests, served,
        registry.get("gateway.origin.bytes").tag("origin", "cloud").counter().count(), stale);
  }

  /**
   * The figures once {@code count} more requests than {@code before} have ended: a request's timer
   * is recorded after its last byte was written, so a client may have its response a little before.
   */
  static ServedFigures after(Gateway gateway, ServedFigures before, int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> of(gateway).allRequests(before) >= count);
    return of(gateway);
  }

  long requests(CacheOutcome outcome, ServedFigures before) {
    return requests.get(outcome) - before.requests.get(outcome);
  }

  long allRequests(ServedFigures before) {
    return requests.keySet().stream().mapToLong(o -> requests(o, before)).sum();
  }

  double served(ByteSource source, ServedFigures before) {
    return served.get(source) - before.served.get(source);
  }

  double allServed(ServedFigures before) {
    return served.keySet().stream().mapToDouble(s -> served(s, before)).sum();
  }

  double originBytes(ServedFigures before) {
    return originBytes - before.originBytes;
  }

  double stale(StaleReason reason, ServedFigures before) {
    return stale.get(reason) - before.stale.get(reason);
  }
}
