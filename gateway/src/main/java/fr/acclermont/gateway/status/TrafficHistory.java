package fr.acclermont.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the school's gateway served and what crossed its uplink, hour by hour, for the last eight
 * days: the status page's 24-hour chart and its today and last-7-days totals. Fed by samples of
 * the gateway's running totals ({@link Totals}, read from its meters): each sample adds what grew
 * since the previous one to the current hour, so the request path is never touched. Kept across a
 * restart when the disk tier gives it a file ({@link #save}, {@link #load}); totals restart at 0
 * with the process, which the first sample takes as its starting point. Thread-safe.
 */
public final class TrafficHistory {

  /** How long hours are kept: the last 7 days and today's start. */
  static final Duration KEPT = Duration.ofDays(8);
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The gateway's running totals since it started, as its meters count them. */
  public record Totals(long servedBytes, long uplinkBytes, long requests, long hits) {

    Totals minus(Totals earlier) {
      return new Totals(servedBytes - earlier.servedBytes, uplinkBytes - earlier.uplinkBytes,
          requests - earlier.requests, hits - earlier.hits);
    }

    Totals plus(Totals other) {
      return new Totals(servedBytes + other.servedBytes, uplinkBytes + other.uplinkBytes,
          requests + other.requests, hits + other.hits);
    }

    /** Body bytes served that did not cross the uplink; never negative. */
    public long savedBytes() {
      return Math.max(0, servedBytes - uplinkBytes);
    }

    /** Share of requests answered without the uplink, 0..1; 0 without requests. */
    public double requestHitRatio() {
      return requests == 0 ? 0 : (double) hits / requests;
    }

    /** Share of the bytes served that did not cross the uplink, 0..1; 0 without bytes. */
    public double byteHitRatio() {
      return servedBytes == 0 ? 0 : (double) savedBytes() / servedBytes;
    }
  }

  /** One hour of traffic, starting at {@code startMillis}. */
  public record Hour(long startMillis, Totals traffic) {}

  static final Totals ZERO = new Totals(0, 0, 0, 0);

  private final Clock clock;
  private final ZoneId zone;
  private final TreeMap<Long, Totals> hours = new TreeMap<>();
  private Totals lastSample;

  /** A history in {@code zone}'s days, starting from {@code start}, the totals at this moment. */
  public TrafficHistory(Clock clock, ZoneId zone, Totals start) {
    this.clock = clock;
    this.zone = zone;
    this.lastSample = start;
  }

  /** Adds what grew since the previous sample to the current hour. */
  public synchronized void sample(Totals now) {
    Totals grown = now.minus(lastSample);
    lastSample = now;
    long hour = hourOf(clock.millis());
    if (grown.requests() != 0 || grown.servedBytes() != 0 || grown.uplinkBytes() != 0) {
      hours.merge(hour, grown, Totals::plus);
    }
    hours.headMap(hour - KEPT.toMillis()).clear();
  }

  /** The last {@code count} hours, the current one last, hours without traffic as zeros. */
  public synchronized List<Hour> lastHours(int count) {
    long current = hourOf(clock.millis());
    List<Hour> result = new ArrayList<>(count);
    for (long hour = current - (count - 1L) * HOUR; hour <= current; hour += HOUR) {
      result.add(new Hour(hour, hours.getOrDefault(hour, ZERO)));
    }
    return result;
  }

  /** The traffic since local midnight today. */
  public Totals today() {
    return since(Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate().atStartOfDay(zone)
        .toInstant().toEpochMilli());
  }

  /** The traffic of today and the 6 days before it. */
  public Totals lastSevenDays() {
    return since(Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate().minusDays(6).atStartOfDay(zone)
        .toInstant().toEpochMilli());
  }

  private synchronized Totals since(long fromMillis) {
    Totals sum = ZERO;
    for (Totals hour : hours.tailMap(hourOf(fromMillis)).values()) {
      sum = sum.plus(hour);
    }
    return sum;
  }

  private static long hourOf(long millis) {
    return Math.floorDiv(millis, HOUR) * HOUR;
  }

  /** Writes the hours to {@code file} (atomically: a crash leaves the previous file). */
  public void save(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("version", 1);
    ArrayNode list = root.putArray("hours");
    synchronized (this) {
      for (Map.Entry<Long, Totals> hour : hours.entrySet()) {
        Totals t = hour.getValue();
        list.addArray().add(hour.getKey()).add(t.servedBytes()).add(t.uplinkBytes()).add(t.requests()).add(t.hits());
      }
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), root);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Adds the hours saved in {@code file}, if it exists: a history from before a restart. A damaged
   * file is ignored (the chart starts afresh; it is never worth refusing to start).
   *
   * @return whether a history was read
   */
  public boolean load(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (root.path("version").asInt() != 1) {
        return false;
      }
      TreeMap<Long, Totals> read = new TreeMap<>();
      for (JsonNode hour : root.path("hours")) {
        if (hour.size() != 5) {
          return false;
        }
        read.merge(hourOf(hour.get(0).asLong()), new Totals(hour.get(1).asLong(), hour.get(2).asLong(),
            hour.get(3).asLong(), hour.get(4).asLong()), Totals::plus);
      }
      synchronized (this) {
        read.forEach((hour, totals) -> hours.merge(hour, totals, Totals::plus));
        hours.headMap(hourOf(clock.millis()) - KEPT.toMillis()).clear();
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
