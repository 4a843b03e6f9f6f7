package fr.acclermont.gateway.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The status page's figures as JSON ({@code /status.json}), for a school's scripts: the same
 * snapshot, times in epoch milliseconds, bytes as integers, ratios from 0 to 1. Field names are a
 * contract (docs/monitoring.md "Status page"): add, never rename. Stateless.
 */
public final class StatusJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusJson() {}

  static String render(StatusSnapshot s) {
    ObjectNode root = JSON.createObjectNode()
        .put("version", s.version())
        .put("school", s.school())
        .put("startedAt", s.startedAtMillis())
        .put("now", s.nowMillis());
    ArrayNode origins = root.putArray("origins");
    for (StatusSnapshot.OriginView o : s.origins()) {
      ArrayNode parents = origins.addObject().put("name", o.name()).put("url", o.url()).put("up", o.up())
          .put("since", o.sinceMillis()).putArray("parents");
      for (StatusSnapshot.ParentView p : o.parents()) {
        parents.addObject().put("url", p.url()).put("up", p.up()).put("since", p.sinceMillis());
      }
    }
    totals(root.putObject("today"), s.today());
    totals(root.putObject("last7Days"), s.lastSevenDays());
    ArrayNode hours = root.putArray("hours");
    for (TrafficHistory.Hour hour : s.hours()) {
      totals(hours.addObject().put("start", hour.startMillis()), hour.traffic());
    }
    ObjectNode tiers = root.putObject("tiers");
    tiers.putObject("memory").put("bytes", s.memory().bytes()).put("maxBytes", s.memory().maxBytes());
    if (s.disk() != null) {
      tiers.putObject("disk").put("bytes", s.disk().bytes()).put("maxBytes", s.disk().maxBytes());
    }
    ArrayNode books = root.putArray("topBooks");
    for (BookTraffic.Book book : s.topBooks()) {
      books.addObject().put("prefix", book.prefix()).put("bytes", book.bytes());
    }
    StatusSnapshot.PrefetchView p = s.prefetch();
    if (p == null) {
      root.putNull("prefetch");
    } else {
      ObjectNode prefetch = root.putObject("prefetch").put("state", p.state()).put("objectsDone", p.objectsDone())
          .put("objectsTotal", p.objectsTotal()).put("bytes", p.bytes()).put("current", p.current())
          .put("lastError", p.lastError());
      if (p.nextWindowMillis() > 0) {
        prefetch.put("nextWindow", p.nextWindowMillis());
      }
      if (p.lastCompletedMillis() > 0) {
        prefetch.put("lastCompleted", p.lastCompletedMillis());
      }
    }
    ArrayNode warnings = root.putArray("warnings");
    for (RecentWarnings.Warning w : s.warnings()) {
      warnings.addObject().put("at", w.atMillis()).put("level", w.level()).put("logger", w.logger())
          .put("message", w.message());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  private static void totals(ObjectNode node, TrafficHistory.Totals t) {
    node.put("servedBytes", t.servedBytes())
        .put("uplinkBytes", t.uplinkBytes())
        .put("savedBytes", t.savedBytes())
        .put("requests", t.requests())
        .put("hits", t.hits())
        .put("requestHitRatio", t.requestHitRatio())
        .put("byteHitRatio", t.byteHitRatio());
  }
}
