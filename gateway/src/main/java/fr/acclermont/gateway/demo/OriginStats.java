package fr.acclermont.gateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests received and response body bytes sent by the origin, in total and per path (without
 * the query string). Requests to {@code /_origin/...} are not counted, so polling the stats does
 * not change them.
 *
 * <p>Thread-safe: updated from every event loop, read from any thread. {@link #reset()} is not
 * atomic with respect to concurrent updates; reset while the origin is idle for exact counts.
 */
public final class OriginStats {

  private final LongAdder requests = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final Map<String, Counters> paths = new ConcurrentHashMap<>();

  OriginStats() {}

  /** Returns the number of requests received. */
  public long requests() {
    return requests.sum();
  }

  /** Returns the number of response body bytes written to sockets. */
  public long bytes() {
    return bytes.sum();
  }

  /** Returns the number of requests received for {@code path} (no query string). */
  public long requests(String path) {
    Counters counters = paths.get(path);
    return counters == null ? 0 : counters.requests.sum();
  }

  /** Returns the number of body bytes written for {@code path} (no query string). */
  public long bytes(String path) {
    Counters counters = paths.get(path);
    return counters == null ? 0 : counters.bytes.sum();
  }

  /** Sets every count back to zero. */
  public void reset() {
    paths.clear();
    requests.reset();
    bytes.reset();
  }

  /**
   * Returns {@code {"requests":N,"bytes":N,"paths":{"/x":{"requests":N,"bytes":N},...}}}, paths
   * sorted.
   */
  public String toJson() {
    ObjectNode root = Catalog.JSON.createObjectNode().put("requests", requests()).put("bytes", bytes());
    ObjectNode byPath = root.putObject("paths");
    new TreeMap<>(paths).forEach((path, counters) -> byPath.putObject(path)
        .put("requests", counters.requests.sum())
        .put("bytes", counters.bytes.sum()));
    try {
      return Catalog.JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the stats", e);
    }
  }

  @Override
  public String toString() {
    return "OriginStats{requests=" + requests() + ", bytes=" + bytes() + "}";
  }

  void recordRequest(String path) {
    requests.increment();
    counters(path).requests.increment();
  }

  void recordBytes(String path, long count) {
    bytes.add(count);
    counters(path).bytes.add(count);
  }

  private Counters counters(String path) {
    return paths.computeIfAbsent(path, ignored -> new Counters());
  }

  private static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder bytes = new LongAdder();
  }
}
