package fr.acclermont.gateway.status;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the status page shows, taken at one moment ({@link StatusBoard#snapshot}), rendered
 * by {@link StatusHtml} and {@link StatusJson}. Immutable.
 *
 * @param version the gateway's version
 * @param school the school's label ({@code school})
 * @param startedAtMillis when this gateway started
 * @param nowMillis when the snapshot was taken
 * @param origins each configured origin, up or down and since when
 * @param today the traffic since local midnight
 * @param lastSevenDays the traffic of today and the six days before
 * @param hours the last 24 hours, oldest first
 * @param memory the memory tier's fill
 * @param disk the disk tier's fill, or null without a disk tier
 * @param topBooks the books served most today, most first
 * @param prefetch the prefetch's state, or null when prefetch is not configured
 * @param warnings the last warnings logged, newest first
 */
public record StatusSnapshot(String version, String school, long startedAtMillis, long nowMillis,
    List<OriginView> origins, TrafficHistory.Totals today, TrafficHistory.Totals lastSevenDays,
    List<TrafficHistory.Hour> hours, TierView memory, @Nullable TierView disk, List<BookTraffic.Book> topBooks,
    @Nullable PrefetchView prefetch, List<RecentWarnings.Warning> warnings) {

  /**
   * An origin: its name, whether it is up, and since when (epoch milliseconds); and its parents
   * (the académie tier), asked before it, each up or down since when.
   */
  public record OriginView(String name, String url, boolean up, long sinceMillis, List<ParentView> parents) {

    /** Freezes the parents. */
    public OriginView {
      parents = List.copyOf(parents);
    }

    /** An origin without parents. */
    public OriginView(String name, String url, boolean up, long sinceMillis) {
      this(name, url, up, sinceMillis, List.of());
    }
  }

  /** A parent cache of an origin: its URL, whether it is up, and since when (epoch milliseconds). */
  public record ParentView(String url, boolean up, long sinceMillis) {}

  /** A cache tier: the bytes it holds and its budget. */
  public record TierView(long bytes, long maxBytes) {

    /** How full, 0..1. */
    public double fill() {
      return maxBytes <= 0 ? 0 : Math.min(1, (double) bytes / maxBytes);
    }
  }

  /**
   * The prefetch: its state ({@code idle}, {@code waiting}, {@code running}, {@code done}), the
   * objects done of those listed, the bytes fetched, the object being fetched and the last error
   * (or null), when the next window opens and when the last run completed (epoch milliseconds, or
   * 0 when unknown).
   */
  public record PrefetchView(String state, long objectsDone, long objectsTotal, long bytes, @Nullable String current,
      @Nullable String lastError, long nextWindowMillis, long lastCompletedMillis) {}
}
