package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of access-log lines ({@link AccessLogLines}): golden lines pinning every field's
 * formatting and the JSON string escaping, and, over many random entries, the same bytes as the
 * Jackson formatter the gateway used before (kept here as the reference: the line format is a
 * contract, docs/contracts.md).
 */
class AccessLogLinesTest {

  private static final long TIME = Instant.parse("2025-09-01T08:00:01.007Z").toEpochMilli();

  @Test
  void format_goldenLine_everyField() throws IOException {
    AccessLogEntry entry = new AccessLogEntry(TIME, InetAddress.getByName("10.1.2.3"), "GET", "HTTP/1.1",
        "/books/b/p.pdf?page=3&access_token=s3cr3t;sig=x#frag&jwt=y", 206, 65_536,
        "edge; fwd=miss; fwd-status=206; stored", 412_345, 12_034_567, 9_000_999, "cloud", AccessLogEntry.End.COMPLETE);

    assertThat(text(entry)).isEqualTo("{\"time\":\"2025-09-01T08:00:01.007Z\",\"client\":\"10.1.2.3\",\"method\":\"GET\","
        + "\"protocol\":\"HTTP/1.1\",\"path\":\"/books/b/p.pdf?page=3&access_token=***;sig=***#frag&jwt=***\","
        + "\"status\":206,\"bytes\":65536,\"cache\":\"edge; fwd=miss; fwd-status=206; stored\",\"ttfb_ms\":0.412,"
        + "\"total_ms\":12.034,\"origin_ms\":9.000,\"origin\":\"cloud\",\"end\":\"complete\"}\n");
  }

  @Test
  void format_goldenLine_unknownValuesNull() throws IOException {
    AccessLogEntry entry = new AccessLogEntry(0, null, null, null, null, 400, 0, null, -1, 0, -1, null,
        AccessLogEntry.End.CLIENT_CLOSED);

    assertThat(text(entry)).isEqualTo("{\"time\":\"1970-01-01T00:00:00.000Z\",\"client\":null,\"method\":null,"
        + "\"protocol\":null,\"path\":null,\"status\":400,\"bytes\":0,\"cache\":null,\"ttfb_ms\":null,\"total_ms\":0.000,"
        + "\"origin_ms\":null,\"origin\":null,\"end\":\"client-closed\"}\n");
  }

  @Test
  void format_goldenLine_numbersAndMillisAtTheirEdges() throws IOException {
    AccessLogEntry entry = new AccessLogEntry(Instant.parse("2099-12-31T23:59:59.999Z").toEpochMilli(),
        InetAddress.getByName("::1"), "PROPFIND", "HTTP/2", "http://user:pw@host/a?b", 499, Long.MAX_VALUE, "", 999,
        123_456_789_012L, 10_000, "o", AccessLogEntry.End.TIMEOUT);

    assertThat(text(entry)).isEqualTo("{\"time\":\"2099-12-31T23:59:59.999Z\",\"client\":\"0:0:0:0:0:0:0:1\","
        + "\"method\":\"PROPFIND\",\"protocol\":\"HTTP/2\",\"path\":\"http://***@host/a?b\",\"status\":499,"
        + "\"bytes\":9223372036854775807,\"cache\":\"\",\"ttfb_ms\":0.000,\"total_ms\":123456.789,\"origin_ms\":0.010,"
        + "\"origin\":\"o\",\"end\":\"timeout\"}\n");
  }

  @Test
  void format_goldenLine_escapes() throws IOException {
    StringBuilder target = new StringBuilder("/");
    for (char c = 0; c < 0x20; c++) {
      target.append(c);
    }
    target.append("\"\\/\u007f\u0080é\u00ff\u2028\u20ac\ud83d\ude00\ud800x\udc00");
    AccessLogEntry entry = new AccessLogEntry(TIME, null, "GET", "HTTP/1.1", target.toString(), 200, 1, null, 1_000,
        100_000, 1_000_000, null, AccessLogEntry.End.ABORTED);

    byte[] expected = ("{\"time\":\"2025-09-01T08:00:01.007Z\",\"client\":null,\"method\":\"GET\",\"protocol\":\"HTTP/1.1\","
        + "\"path\":\"/\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r\\u000E\\u000F"
        + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F"
        + "\\\"\\\\/\u007f\u0080é\u00ff\u2028\u20ac\\uD83D\\uDE00\\uD800x\\uDC00\",\"status\":200,\"bytes\":1,"
        + "\"cache\":null,\"ttfb_ms\":0.001,\"total_ms\":0.100,\"origin_ms\":1.000,\"origin\":null,\"end\":\"aborted\"}\n")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(bytes(List.of(entry))).isEqualTo(expected);
  }

  @Test
  void format_severalEntries_linesInOrder_bufferReused() throws IOException {
    AccessLogLines lines = new AccessLogLines();
    List<AccessLogEntry> first = List.of(random(new SplittableRandom(1)), random(new SplittableRandom(2)));
    List<AccessLogEntry> second = List.of(random(new SplittableRandom(3)));

    lines.format(first);
    lines.format(second);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lines.writeTo(out);

    assertThat(out.toByteArray()).isEqualTo(reference(second));
    assertThat(lines.size()).isEqualTo(out.size());
  }

  @Test
  void format_linesLongerThanTheBuffer_grownThenBackToItsSize() throws IOException {
    AccessLogLines lines = new AccessLogLines();
    String escaped = "\u0001é\u20ac\ud83d".repeat(100_000); // 6 + 2 + 3 + 6 bytes each time: 1.7 MB
    List<AccessLogEntry> huge = List.of(new AccessLogEntry(TIME, null, "GET", "HTTP/1.1", "/" + escaped, 414, 0,
        escaped, -1, 1, -1, escaped, AccessLogEntry.End.COMPLETE));
    List<AccessLogEntry> small = List.of(random(new SplittableRandom(4)));

    for (List<AccessLogEntry> batch : List.of(huge, small, huge)) {
      lines.format(batch);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      lines.writeTo(out);
      assertThat(out.toByteArray()).isEqualTo(reference(batch));
    }
  }

  @Test
  void format_randomEntries_sameBytesAsTheJacksonReference() throws IOException {
    SplittableRandom random = new SplittableRandom(20261206);
    AccessLogLines lines = new AccessLogLines();
    for (int round = 0; round < 300; round++) {
      List<AccessLogEntry> batch = new ArrayList<>();
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        batch.add(random(random));
      }
      lines.format(batch);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      lines.writeTo(out);
      assertThat(out.toByteArray()).as("round %d", round).isEqualTo(reference(batch));
    }
  }

  private static String text(AccessLogEntry entry) throws IOException {
    byte[] bytes = bytes(List.of(entry));
    assertThat(bytes).isEqualTo(reference(List.of(entry)));
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(List<AccessLogEntry> entries) throws IOException {
    AccessLogLines lines = new AccessLogLines();
    lines.format(entries);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lines.writeTo(out);
    return out.toByteArray();
  }

  // ---- random entries -------------------------------------------------------------------------

  private static final String[] TARGETS = {"/", "/a/b.pdf", "/x?token=abc", "/x?a=1&b=2;key=3#k=v",
    "http://u:p@h/x?q=1", "/p?name%5Btoken%5D=z&monkey=1&x"};
  private static final String[] CACHE = {"edge; hit; ttl=60", "edge; fwd=miss; stored", "edge; fwd=stale"};
  private static final AccessLogEntry.End[] ENDS = AccessLogEntry.End.values();

  private static AccessLogEntry random(SplittableRandom r) throws IOException {
    return new AccessLogEntry(r.nextLong(0, 4_102_444_800_000L), r.nextInt(5) == 0 ? null : address(r),
        r.nextInt(10) == 0 ? null : pick(r, new String[] {"GET", "HEAD", "POST", text(r)}),
        r.nextInt(10) == 0 ? null : pick(r, new String[] {"HTTP/1.1", "HTTP/1.0", "HTTP/2"}),
        r.nextInt(10) == 0 ? null : r.nextBoolean() ? pick(r, TARGETS) : "/" + text(r) + "?" + text(r),
        r.nextInt(20) == 0 ? r.nextInt() : r.nextInt(100, 600),
        switch (r.nextInt(6)) {
          case 0 -> r.nextLong(Long.MAX_VALUE);
          case 1 -> r.nextLong(); // negative ones too, never sent, written all the same
          case 2 -> r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
          default -> r.nextInt(100_000);
        },
        r.nextInt(5) == 0 ? null : r.nextBoolean() ? pick(r, CACHE) : text(r),
        millis(r), r.nextInt(50) == 0 ? 0 : millis(r) & Long.MAX_VALUE, millis(r),
        r.nextInt(5) == 0 ? null : text(r), pick(r, ENDS));
  }

  private static long millis(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> -1;
      case 1 -> r.nextLong(0, 1_000_000);
      case 2 -> r.nextLong(0, 100_000_000_000L);
      default -> r.nextLong(0, Long.MAX_VALUE);
    };
  }

  private static InetAddress address(SplittableRandom r) throws IOException {
    byte[] bytes = new byte[r.nextBoolean() ? 4 : 16];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (r.nextInt(4) == 0 ? 0 : r.nextInt(256));
    }
    return bytes.length == 16 && r.nextInt(4) == 0 ? Inet6Address.getByAddress(null, bytes, 3)
        : InetAddress.getByAddress(bytes);
  }

  /** Text from an alphabet weighted towards what needs escaping or several UTF-8 bytes. */
  private static String text(SplittableRandom r) {
    StringBuilder text = new StringBuilder();
    int n = r.nextInt(30);
    for (int i = 0; i < n; i++) {
      char c = switch (r.nextInt(8)) {
        case 0 -> (char) r.nextInt(0x20);
        case 1 -> "\"\\/=&;#?%+\u007f".charAt(r.nextInt(11));
        case 2 -> (char) r.nextInt(0x80, 0x100);
        case 3 -> (char) r.nextInt(0x100, 0x10000); // lone surrogates included
        default -> (char) r.nextInt(0x20, 0x7f);
      };
      text.append(c);
    }
    return text.toString();
  }

  private static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  // ---- the reference: the Jackson formatter of commit fe93774, verbatim --------------------------

  private static final DateTimeFormatter REFERENCE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final JsonFactory REFERENCE_JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  private static byte[] reference(List<AccessLogEntry> entries) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (JsonGenerator json = REFERENCE_JSON.createGenerator(buffer)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (AccessLogEntry entry : entries) {
        referenceFormat(entry, json);
        json.writeRaw('\n');
      }
    }
    return buffer.toByteArray();
  }

  private static void referenceFormat(AccessLogEntry entry, JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("time", REFERENCE_TIME.format(Instant.ofEpochMilli(entry.timeMillis())));
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
