package fr.acclermont.loadtest.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalDouble;

/**
 * The JSON report of a scenario on one object ({@code cold-object}, {@code random-ranges}), under
 * field names that scripts may rely on. Times are milliseconds (fractions allowed); a figure that
 * does not exist (a percentile of no request, a ratio without {@code --origin}) is {@code null}.
 *
 * <pre>
 * {
 *   "schema": "textbook-loadtest-object/1",
 *   "command": "cold-object" | "random-ranges",
 *   "title": string, "target": url, "origin": url | null, "startedAt": ISO-8601 instant,
 *   "settings": { flag name without dashes: value, ... },
 *   "path": string, "objectBytes": n,
 *   "requests": n, "ok": n, "failed": n,          // requests that ended; of them, ok and failed
 *   "errors": { "connect": n, "reset": n, "timeout": n, "status": n, "short-body": n, "corrupt": n },
 *   "deliveredBytes": n,                          // body bytes received by the clients
 *   "distinctBytesRequested": n,                  // the union of the ranges asked, all clients together
 *   "allDoneMillis": number,                      // from the common start to the last request's end
 *   "firstByteMillis": P, "completeMillis": P,    // successful requests, from their intended start
 *   "uplink": { "requests": n, "bytes": n,        // everything the origin served during the run
 *               "pathRequests": n, "pathBytes": n, // what it served for the object's path
 *               "objectCopies": number | null,     // pathBytes / objectBytes
 *               "bytesPerDistinctByte": number | null } | null,   // pathBytes / distinctBytesRequested
 *   "clients": [ { "client": n, "firstByteMillis": number | null, "doneMillis": number,
 *                  "requests": n, "failed": n, "bytes": n, "connections": n } ]
 * }
 * P = { "count": n, "mean", "p50", "p90", "p99", "p999", "p9999", "max": number | null }
 * </pre>
 *
 * Every client starts at the common start, so a client's {@code firstByteMillis} is its time to
 * first byte (of its first response) and its {@code doneMillis} its time to complete.
 */
public final class ObjectJsonReport {

  /** The schema tag; its number changes only if a field changes meaning or disappears. */
  public static final String SCHEMA = "textbook-loadtest-object/1";

  private static final double NANOS_PER_MILLI = 1e6;

  private ObjectJsonReport() {}

  /** Returns the report as indented JSON. */
  public static String render(ObjectRun run) {
    RoundResult round = run.round();
    ObjectNode root = JsonReport.objectNode()
        .put("schema", SCHEMA)
        .put("command", run.command())
        .put("title", run.title())
        .put("target", run.target())
        .put("origin", run.origin())
        .put("startedAt", run.startedAt().toString());
    JsonReport.settings(root.putObject("settings"), run.settings());
    root.put("path", run.path())
        .put("objectBytes", run.objectBytes())
        .put("requests", round.requests())
        .put("ok", round.requests() - round.failed())
        .put("failed", round.failed());
    JsonReport.errors(root.putObject("errors"), round.errors());
    root.put("deliveredBytes", round.deliveredBytes())
        .put("distinctBytesRequested", run.distinctBytes())
        .put("allDoneMillis", round.durationNanos() / NANOS_PER_MILLI);
    JsonReport.percentiles(root.putObject("firstByteMillis"), run.firstByte());
    JsonReport.percentiles(root.putObject("completeMillis"), run.complete());
    uplink(root, run);
    ArrayNode clients = root.putArray("clients");
    for (StudentRecord client : round.students()) {
      ObjectNode node = clients.addObject().put("client", client.id());
      if (client.firstByteNanos() < 0) {
        node.putNull("firstByteMillis");
      } else {
        node.put("firstByteMillis", client.firstByteNanos() / NANOS_PER_MILLI);
      }
      node.put("doneMillis", client.doneNanos() / NANOS_PER_MILLI)
          .put("requests", client.requests())
          .put("failed", client.failed())
          .put("bytes", client.bytes())
          .put("connections", client.connections());
    }
    return JsonReport.text(root);
  }

  private static void uplink(ObjectNode root, ObjectRun run) {
    UplinkFigures total = run.round().uplink();
    UplinkFigures path = run.pathUplink();
    if (total == null || path == null) {
      root.putNull("uplink");
      return;
    }
    ObjectNode uplink = root.putObject("uplink")
        .put("requests", total.requests())
        .put("bytes", total.bytes())
        .put("pathRequests", path.requests())
        .put("pathBytes", path.bytes());
    ratio(uplink, "objectCopies", run.objectCopies());
    ratio(uplink, "bytesPerDistinctByte", run.bytesPerDistinctByte());
  }

  private static void ratio(ObjectNode node, String name, OptionalDouble value) {
    if (value.isPresent()) {
      node.put(name, value.getAsDouble());
    } else {
      node.putNull(name);
    }
  }
}
