package fr.acclermont.gateway.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Formats access-log lines, one JSON object and its newline per entry, into a buffer reused from
 * one batch to the next: the access log's writer thread has one. Public for the benchmarks.
 * Not thread-safe.
 */
public final class AccessLogLines {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** Root values separated by nothing: each line ends with its own newline. */
  private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

  /** Replaces what the buffer holds by the lines of {@code entries}, in order. */
  public void format(List<AccessLogEntry> entries) throws IOException {
    buffer.reset();
    try (JsonGenerator json = JSON.createGenerator(buffer)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (AccessLogEntry entry : entries) {
        format(entry, json);
        json.writeRaw('\n');
      }
    }
  }

  /** The bytes formatted, in one write. */
  public void writeTo(OutputStream out) throws IOException {
    buffer.writeTo(out);
  }

  /** How many bytes are formatted. */
  public int size() {
    return buffer.size();
  }

  /**
   * Writes one entry as a JSON object: {@code time}, {@code client}, {@code method}, {@code protocol}, {@code path}
   * (masked), {@code status}, {@code bytes}, {@code cache}, {@code ttfb_ms}, {@code total_ms},
   * {@code origin_ms}, {@code origin}, {@code end}, in that order; an unknown value is {@code null}.
   */
  private static void format(AccessLogEntry entry, JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("time", TIME.format(Instant.ofEpochMilli(entry.timeMillis())));
    writeText(json, "client", entry.client() == null ? null : entry.client().getHostAddress());
    writeText(json, "method", entry.method());
    writeText(json, "protocol", entry.protocol());
    writeText(json, "path", entry.target() == null ? null : SecretMasking.target(entry.target()));
    json.writeNumberField("status", entry.status());
    json.writeNumberField("bytes", entry.bodyBytes());
    writeText(json, "cache", entry.cacheStatus());
    writeMillis(json, "ttfb_ms", entry.firstByteNanos());
    writeMillis(json, "total_ms", entry.totalNanos());
    writeMillis(json, "origin_ms", entry.originNanos());
    writeText(json, "origin", entry.origin());
    json.writeStringField("end", entry.end().tag());
    json.writeEndObject();
  }

  private static void writeText(JsonGenerator json, String name, @Nullable String value) throws IOException {
    if (value == null) {
      json.writeNullField(name);
    } else {
      json.writeStringField(name, value);
    }
  }

  /** Milliseconds with three decimals (microseconds), or null for a negative (unknown) time. */
  private static void writeMillis(JsonGenerator json, String name, long nanos) throws IOException {
    json.writeFieldName(name);
    if (nanos < 0) {
      json.writeNull();
      return;
    }
    long micros = nanos / 1_000;
    long fraction = micros % 1_000;
    json.writeNumber(micros / 1_000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction);
  }
}
