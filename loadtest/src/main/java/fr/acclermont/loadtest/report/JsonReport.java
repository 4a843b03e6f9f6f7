package fr.acclermont.loadtest.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.acclermont.loadtest.client.ErrorKind;
import java.util.Map;

/**
 * The JSON report: every figure of a run, under field names that scripts may rely on. Times are
 * milliseconds (fractions allowed) unless the name says otherwise; a figure that does not exist
 * (a percentile of no request, a book that never opened) is {@code null}.
 *
 * <pre>
 * {
 *   "schema": "textbook-loadtest-report/1",
 *   "command": "classroom" | "school-day",
 *   "title": string, "target": url, "origin": url | null, "startedAt": ISO-8601 instant,
 *   "settings": { flag name without dashes: value, ... },
 *   "rounds": [ {
 *     "round": 1, "label": "round 1 of 2", "startedAt": instant,
 *     "durationSeconds": number,          // round start to the last request's end
 *     "requests": n, "failed": n,          // requests that ended; of them, failed
 *     "deliveredBytes": n,                 // body bytes received by the students
 *     "requestsPerSecond": number, "mibPerSecond": number,
 *     "errors": { "connect": n, "reset": n, "timeout": n, "status": n, "short-body": n, "corrupt": n },
 *     "statuses": { "200": n, "206": n, "403": n, ... },   // responses by status, failed ones included
 *     "kinds": { "manifest" | "asset" | "range" | "video": {
 *         "requests": n, "ok": n, "failed": n, "bytes": n,
 *         "firstByteMillis": P, "completeMillis": P } },   // successful requests, from intended start
 *     "bookOpen": { "students": n, "opened": n, "millis": P },
 *     "uplink": { "requests": n, "bytes": n, "bytesPerDeliveredByte": number | null } | null,
 *     "classes": [ { "class": n, "book": id, "activity": "book" | "pdf" | "video",
 *                    "startMillis": number, "students": n } ],
 *     "students": [ { "student": n, "class": n, "activity": string, "startMillis": number,
 *                     "manifestMillis": number | null, "bookOpenMillis": number | null,
 *                     "doneMillis": number, "requests": n, "failed": n, "bytes": n,
 *                     "connections": n } ]            // connections opened, at most 6 at once
 *   } ]
 * }
 * P = { "count": n, "mean", "p50", "p90", "p99", "p999", "p9999", "max": number | null }
 * </pre>
 *
 * Student times are from the round's start; {@code bookOpenMillis - startMillis} is the student's
 * time to book open.
 */
public final class JsonReport {

  /** The schema tag; its number changes only if a field changes meaning or disappears. */
  public static final String SCHEMA = "textbook-loadtest-report/1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final double NANOS_PER_MILLI = 1e6;

  private JsonReport() {}

  /** Returns the report as indented JSON. */
  public static String render(RunReport report) {
    ObjectNode root = JSON.createObjectNode()
        .put("schema", SCHEMA)
        .put("command", report.command())
        .put("title", report.title())
        .put("target", report.target())
        .put("origin", report.origin())
        .put("startedAt", report.startedAt().toString());
    settings(root.putObject("settings"), report.settings());
    ArrayNode rounds = root.putArray("rounds");
    report.rounds().forEach(round -> round(rounds.addObject(), round));
    return text(root);
  }

  /** Returns a new empty object node of the reports' mapper. */
  static ObjectNode objectNode() {
    return JSON.createObjectNode();
  }

  /** Returns {@code root} as indented JSON ending with a newline. */
  static String text(ObjectNode root) {
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the report", e);
    }
  }

  /** Puts a run's settings, by flag name, into {@code node}. */
  static void settings(ObjectNode node, Map<String, Object> settings) {
    settings.forEach((name, value) -> node.set(name, JSON.valueToTree(value)));
  }

  /** Puts the count of failed requests of every error kind, by label, into {@code node}. */
  static void errors(ObjectNode node, Map<ErrorKind, Long> errors) {
    for (Map.Entry<ErrorKind, Long> error : errors.entrySet()) {
      node.put(error.getKey().label(), error.getValue());
    }
  }

  private static void round(ObjectNode node, RoundResult round) {
    node.put("round", round.round())
        .put("label", round.label())
        .put("startedAt", round.startedAt().toString())
        .put("durationSeconds", round.durationNanos() / 1e9)
        .put("requests", round.requests())
        .put("failed", round.failed())
        .put("deliveredBytes", round.deliveredBytes())
        .put("requestsPerSecond", round.requestsPerSecond())
        .put("mibPerSecond", round.mibPerSecond());
    errors(node.putObject("errors"), round.errors());
    ObjectNode statuses = node.putObject("statuses");
    round.statuses().forEach((status, count) -> statuses.put(Integer.toString(status), count));
    ObjectNode kinds = node.putObject("kinds");
    for (KindResult kind : round.kinds().values()) {
      ObjectNode k = kinds.putObject(kind.kind().label())
          .put("requests", kind.requests())
          .put("ok", kind.ok())
          .put("failed", kind.failed())
          .put("bytes", kind.bytes());
      percentiles(k.putObject("firstByteMillis"), kind.firstByte());
      percentiles(k.putObject("completeMillis"), kind.complete());
    }
    ObjectNode bookOpen = node.putObject("bookOpen")
        .put("students", round.studentsOpeningBooks())
        .put("opened", round.booksOpened());
    percentiles(bookOpen.putObject("millis"), round.bookOpen());
    UplinkFigures uplink = round.uplink();
    if (uplink == null) {
      node.putNull("uplink");
    } else {
      ObjectNode u = node.putObject("uplink").put("requests", uplink.requests()).put("bytes", uplink.bytes());
      if (round.deliveredBytes() == 0) {
        u.putNull("bytesPerDeliveredByte");
      } else {
        u.put("bytesPerDeliveredByte", (double) uplink.bytes() / round.deliveredBytes());
      }
    }
    ArrayNode classes = node.putArray("classes");
    for (GroupRecord group : round.groups()) {
      classes.addObject()
          .put("class", group.number())
          .put("book", group.book())
          .put("activity", group.activity())
          .put("startMillis", group.startNanos() / NANOS_PER_MILLI)
          .put("students", group.students());
    }
    ArrayNode students = node.putArray("students");
    for (StudentRecord s : round.students()) {
      ObjectNode n = students.addObject()
          .put("student", s.id())
          .put("class", s.group())
          .put("activity", s.activity())
          .put("startMillis", s.startNanos() / NANOS_PER_MILLI);
      optionalMillis(n, "manifestMillis", s.manifestNanos());
      optionalMillis(n, "bookOpenMillis", s.bookOpenNanos());
      n.put("doneMillis", s.doneNanos() / NANOS_PER_MILLI)
          .put("requests", s.requests())
          .put("failed", s.failed())
          .put("bytes", s.bytes())
          .put("connections", s.connections());
    }
  }

  /** Puts the count and the percentiles of {@code p} into {@code node}; {@code null}s when empty. */
  static void percentiles(ObjectNode node, Percentiles p) {
    node.put("count", p.count());
    String[] names = {"mean", "p50", "p90", "p99", "p999", "p9999", "max"};
    double[] values = {p.mean(), p.p50(), p.p90(), p.p99(), p.p999(), p.p9999(), p.max()};
    for (int i = 0; i < names.length; i++) {
      if (p.isEmpty()) {
        node.putNull(names[i]);
      } else {
        node.put(names[i], values[i]);
      }
    }
  }

  private static void optionalMillis(ObjectNode node, String name, long nanos) {
    if (nanos < 0) {
      node.putNull(name);
    } else {
      node.put(name, nanos / NANOS_PER_MILLI);
    }
  }
}
