package fr.acclermont.gateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests received and response body bytes sent by the origin, in total and per path (without
 * the query string). Requests to {@code /_origin/...} are not counted, so polling the stats does
 * not change them.
 *
 * <p>Per path it also keeps the {@code Range} header of each request and the byte ranges of the
 * object that left in each response, as offsets within the object, so a test can tell which
 * slices a cache fetched and whether any byte crossed the uplink twice. Bytes are counted once
 * written to the socket: a client that stops reading, or a fault that cuts the body, counts only
 * what left.
 *
 * <p>Thread-safe: updated from every event loop, read from any thread. {@link #reset()} is not
 * atomic with respect to concurrent updates; reset while the origin is idle for exact counts.
 */
public final class OriginStats {

  /**
   * The most {@link #rangeHeaders} and {@link #sentRanges} kept per path; later ones are counted
   * but not listed, so a long load test does not grow the lists without bound.
   */
  public static final int MAX_LISTED_PER_PATH = 10_000;

  private final LongAdder requests = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final Map<String, PathStats> paths = new ConcurrentHashMap<>();

  OriginStats() {}

  /**
   * A byte range of an object sent in one response, as offsets within the object.
   *
   * @param start the offset of the first byte sent
   * @param end the offset after the last byte sent (exclusive)
   */
  public record SentRange(long start, long end) {

    /** Returns the number of bytes, {@code end - start}. */
    public long length() {
      return end - start;
    }
  }

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
    PathStats stats = paths.get(path);
    return stats == null ? 0 : stats.requests.sum();
  }

  /**
   * Returns the number of body bytes written for {@code path} (no query string): the object's
   * bytes and the short text bodies of errors; never the status line or headers.
   */
  public long bytes(String path) {
    PathStats stats = paths.get(path);
    return stats == null ? 0 : stats.bytes.sum();
  }

  /** Returns the number of body bytes written for {@code path}: the same as {@link #bytes(String)}. */
  public long bodyBytes(String path) {
    return bytes(path);
  }

  /**
   * Returns the {@code Range} header of each request for {@code path}, in the order received, with
   * {@code null} for a request without one (at most {@link #MAX_LISTED_PER_PATH}). Every request
   * counted by {@link #requests(String)} is listed, whatever its method or answer.
   */
  public List<String> rangeHeaders(String path) {
    PathStats stats = paths.get(path);
    if (stats == null) {
      return List.of();
    }
    synchronized (stats) {
      return Collections.unmodifiableList(new ArrayList<>(stats.rangeHeaders));
    }
  }

  /**
   * Returns, for each response that sent bytes of the object at {@code path}, the range it sent,
   * in the order responses began (at most {@link #MAX_LISTED_PER_PATH}). A body cut short by a
   * fault or a client going away ends where the bytes stopped. Error text bodies are not listed.
   */
  public List<SentRange> sentRanges(String path) {
    PathStats stats = paths.get(path);
    if (stats == null) {
      return List.of();
    }
    synchronized (stats) {
      return stats.sentRanges.stream().map(range -> new SentRange(range[0], range[1])).toList();
    }
  }

  /**
   * Returns how many bytes of the object at {@code path} were sent more than once (by one response
   * or several, whatever their version): 0 when every byte crossed the uplink at most once.
   */
  public long bytesSentMoreThanOnce(String path) {
    PathStats stats = paths.get(path);
    if (stats == null) {
      return 0;
    }
    synchronized (stats) {
      return stats.coverage.sentMoreThanOnce();
    }
  }

  /** Sets every count back to zero and forgets every header and range. */
  public void reset() {
    paths.clear();
    requests.reset();
    bytes.reset();
  }

  /**
   * Returns {@code {"requests":N,"bytes":N,"paths":{"/x":{"requests":N,"bytes":N,
   * "rangeRequests":N,"bytesSentMoreThanOnce":N},...}}}, paths sorted; {@code rangeRequests}
   * counts the requests that carried a {@code Range} header.
   */
  public String toJson() {
    ObjectNode root = Catalog.JSON.createObjectNode().put("requests", requests()).put("bytes", bytes());
    ObjectNode byPath = root.putObject("paths");
    new TreeMap<>(paths).forEach((path, stats) -> {
      ObjectNode node = byPath.putObject(path)
          .put("requests", stats.requests.sum())
          .put("bytes", stats.bytes.sum())
          .put("rangeRequests", stats.rangeRequests.sum());
      synchronized (stats) {
        node.put("bytesSentMoreThanOnce", stats.coverage.sentMoreThanOnce());
      }
    });
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

  /** Counts a request for {@code path}; {@code rangeHeader} is its {@code Range}, or null. */
  void recordRequest(String path, String rangeHeader) {
    requests.increment();
    PathStats stats = stats(path);
    stats.requests.increment();
    if (rangeHeader != null) {
      stats.rangeRequests.increment();
    }
    synchronized (stats) {
      if (stats.rangeHeaders.size() < MAX_LISTED_PER_PATH) {
        stats.rangeHeaders.add(rangeHeader);
      }
    }
  }

  /** Counts {@code count} body bytes for {@code path} that are not the object's (error text). */
  void recordBytes(String path, long count) {
    bytes.add(count);
    stats(path).bytes.add(count);
  }

  /** Starts recording one response's object bytes for {@code path}. */
  ObjectBody objectBody(String path) {
    return new ObjectBody(path);
  }

  private PathStats stats(String path) {
    return paths.computeIfAbsent(path, ignored -> new PathStats());
  }

  /**
   * The object bytes of one response as they leave, each write with its offset in the object.
   * Used by one channel, on its event loop.
   */
  final class ObjectBody {

    private final String path;
    /** {start, end} of this response, shared with the path's list once the first byte left. */
    private long[] range;

    private ObjectBody(String path) {
      this.path = path;
    }

    /** Records that bytes {@code [offset, offset + count)} of the object were written. */
    void sent(long offset, int count) {
      bytes.add(count);
      PathStats stats = stats(path);
      stats.bytes.add(count);
      synchronized (stats) {
        stats.coverage.add(offset, offset + count);
        if (range == null) {
          range = new long[] {offset, offset + count};
          if (stats.sentRanges.size() < MAX_LISTED_PER_PATH) {
            stats.sentRanges.add(range);
          }
        } else {
          range[0] = Math.min(range[0], offset);
          range[1] = Math.max(range[1], offset + count);
        }
      }
    }
  }

  private static final class PathStats {
    final LongAdder requests = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder rangeRequests = new LongAdder();
    /** Guarded by this. */
    final List<String> rangeHeaders = new ArrayList<>();
    /** Guarded by this; each {start, end}, updated in place while its response streams. */
    final List<long[]> sentRanges = new ArrayList<>();
    /** Guarded by this. */
    final SentCoverage coverage = new SentCoverage();
  }
}
