package fr.acclermont.gateway.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Formats access-log lines, one JSON object and its newline per entry, into a byte array reused
 * from one batch to the next: the access log's writer thread has one. Public for the benchmarks.
 * Not thread-safe.
 *
 * <p>The bytes are those Jackson's {@code JsonGenerator} wrote before (the format is a contract,
 * docs/contracts.md; {@code AccessLogLinesTest} compares the two): UTF-8, a string's {@code "} and
 * {@code \} escaped by a backslash, its control characters as {@code \b \t \n \f \r} or
 * <code>&#92;u00XX</code> (upper-case hex digits), each UTF-16 surrogate as <code>&#92;uXXXX</code>, everything
 * else as it is. Written by hand, without a generator, a {@code DateTimeFormatter} per line or a
 * string per field: the time's date and seconds are formatted once per second, a client's address
 * once per address met, and a request target without a query is written as it is (its masking
 * changes nothing).
 */
public final class AccessLogLines {

  /** The buffer's size to start with, and to come back to after a batch of very long lines. */
  private static final int INITIAL_BYTES = 64 * 1024;
  private static final int RETAINED_BYTES = 1 << 20;
  /** The date and seconds of a line's time, its dot included: the milliseconds and {@code Z} follow. */
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  /** Per ASCII character: 0 written as it is, -1 as <code>&#92;u00XX</code>, else the letter after the backslash. */
  private static final byte[] ESCAPES = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = -1;
    }
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private static final byte[] TIME = bytes("{\"time\":\"");
  private static final byte[] CLIENT = bytes("\",\"client\":");
  private static final byte[] METHOD = bytes(",\"method\":");
  private static final byte[] PROTOCOL = bytes(",\"protocol\":");
  private static final byte[] PATH = bytes(",\"path\":");
  private static final byte[] STATUS = bytes(",\"status\":");
  private static final byte[] BYTES = bytes(",\"bytes\":");
  private static final byte[] CACHE = bytes(",\"cache\":");
  private static final byte[] TTFB = bytes(",\"ttfb_ms\":");
  private static final byte[] TOTAL = bytes(",\"total_ms\":");
  private static final byte[] ORIGIN_MS = bytes(",\"origin_ms\":");
  private static final byte[] ORIGIN = bytes(",\"origin\":");
  private static final byte[] END = bytes(",\"end\":\"");
  private static final byte[] LINE_END = bytes("\"}\n");
  private static final byte[] NULL = bytes("null");
  private static final byte[] LONG_MIN = bytes(Long.toString(Long.MIN_VALUE));
  /** Clients' addresses as written, a small cache indexed by the address's hash. */
  private static final int CLIENTS = 64;

  private byte[] buffer = new byte[INITIAL_BYTES];
  private int size;

  /** The second {@link #second} holds, as from the epoch. */
  private long cachedSecond = Long.MIN_VALUE;
  private byte[] second = new byte[0];

  private final @Nullable InetAddress[] clients = new InetAddress[CLIENTS];
  private final String[] clientTexts = new String[CLIENTS];

  /** Replaces what the buffer holds by the lines of {@code entries}, in order. */
  public void format(List<AccessLogEntry> entries) throws IOException {
    if (buffer.length > RETAINED_BYTES) {
      buffer = new byte[INITIAL_BYTES]; // a batch of very long lines does not keep its memory
    }
    size = 0;
    for (int i = 0, n = entries.size(); i < n; i++) {
      format(entries.get(i));
    }
  }

  /** The bytes formatted, in one write. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(buffer, 0, size);
  }

  /** How many bytes are formatted. */
  public int size() {
    return size;
  }

  /**
   * Writes one entry as a JSON object: {@code time}, {@code client}, {@code method}, {@code protocol}, {@code path}
   * (masked), {@code status}, {@code bytes}, {@code cache}, {@code ttfb_ms}, {@code total_ms},
   * {@code origin_ms}, {@code origin}, {@code end}, in that order; an unknown value is {@code null}.
   */
  private void format(AccessLogEntry entry) {
    raw(TIME);
    time(entry.timeMillis());
    raw(CLIENT);
    InetAddress client = entry.client();
    text(client == null ? null : clientText(client));
    raw(METHOD);
    text(entry.method());
    raw(PROTOCOL);
    text(entry.protocol());
    raw(PATH);
    String target = entry.target();
    text(target == null ? null : SecretMasking.target(target));
    raw(STATUS);
    number(entry.status());
    raw(BYTES);
    number(entry.bodyBytes());
    raw(CACHE);
    text(entry.cacheStatus());
    raw(TTFB);
    millis(entry.firstByteNanos());
    raw(TOTAL);
    millis(entry.totalNanos());
    raw(ORIGIN_MS);
    millis(entry.originNanos());
    raw(ORIGIN);
    text(entry.origin());
    raw(END);
    plain(entry.end().tag());
    raw(LINE_END);
  }

  /** {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, without its quotes. */
  private void time(long millis) {
    long seconds = Math.floorDiv(millis, 1_000);
    if (seconds != cachedSecond) {
      second = bytes(SECONDS.format(Instant.ofEpochSecond(seconds)));
      cachedSecond = seconds;
    }
    raw(second);
    ensure(4);
    int fraction = (int) Math.floorMod(millis, 1_000);
    byte[] b = buffer;
    int at = size;
    b[at] = (byte) ('0' + fraction / 100);
    b[at + 1] = (byte) ('0' + fraction / 10 % 10);
    b[at + 2] = (byte) ('0' + fraction % 10);
    b[at + 3] = 'Z';
    size = at + 4;
  }

  /** The address as {@link InetAddress#getHostAddress} writes it, cached: an IPv4 address by value, another by identity (an IPv6 address's scope is not in its equality). */
  private String clientText(InetAddress client) {
    int slot = (client.hashCode() * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(CLIENTS));
    InetAddress cached = clients[slot];
    if (cached == client || cached instanceof Inet4Address && client instanceof Inet4Address && cached.equals(client)) {
      return clientTexts[slot];
    }
    String text = client.getHostAddress();
    clients[slot] = client;
    clientTexts[slot] = text;
    return text;
  }

  /** Milliseconds with three decimals (microseconds), or null for a negative (unknown) time. */
  private void millis(long nanos) {
    if (nanos < 0) {
      raw(NULL);
      return;
    }
    long micros = nanos / 1_000;
    number(micros / 1_000);
    int fraction = (int) (micros % 1_000);
    ensure(4);
    byte[] b = buffer;
    int at = size;
    b[at] = '.';
    b[at + 1] = (byte) ('0' + fraction / 100);
    b[at + 2] = (byte) ('0' + fraction / 10 % 10);
    b[at + 3] = (byte) ('0' + fraction % 10);
    size = at + 4;
  }

  /** A decimal integer, as {@link Long#toString(long)} writes it. */
  private void number(long value) {
    if (value == Long.MIN_VALUE) {
      raw(LONG_MIN);
      return;
    }
    ensure(20);
    byte[] b = buffer;
    int at = size;
    long v = value;
    if (v < 0) {
      b[at++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long rest = v / 10; rest != 0; rest /= 10) {
      digits++;
    }
    int end = at + digits;
    for (int i = end - 1; i >= at; i--) {
      b[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    size = end;
  }

  /** A JSON string (quoted, escaped, UTF-8), or {@code null}. */
  private void text(@Nullable String value) {
    if (value == null) {
      raw(NULL);
      return;
    }
    int length = value.length();
    ensure(length * 6 + 2); // at most six bytes per char: an escape, backslash, u and four digits
    byte[] b = buffer;
    int at = size;
    b[at++] = '"';
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        byte escape = ESCAPES[c];
        if (escape == 0) {
          b[at++] = (byte) c;
        } else if (escape > 0) {
          b[at++] = '\\';
          b[at++] = escape;
        } else {
          at = unicodeEscape(b, at, c);
        }
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | c >> 6);
        b[at++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isSurrogate(c)) {
        at = unicodeEscape(b, at, c); // as Jackson writes surrogates, paired or not
      } else {
        b[at++] = (byte) (0xE0 | c >> 12);
        b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        b[at++] = (byte) (0x80 | c & 0x3F);
      }
    }
    b[at++] = '"';
    size = at;
  }

  private static int unicodeEscape(byte[] b, int at, char c) {
    b[at] = '\\';
    b[at + 1] = 'u';
    b[at + 2] = HEX[c >> 12];
    b[at + 3] = HEX[c >> 8 & 0xF];
    b[at + 4] = HEX[c >> 4 & 0xF];
    b[at + 5] = HEX[c & 0xF];
    return at + 6;
  }

  /** Text known to need no escaping, ASCII (an {@code end} tag), without quotes. */
  private void plain(String value) {
    int length = value.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      buffer[size + i] = (byte) value.charAt(i);
    }
    size += length;
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void ensure(int more) {
    if (buffer.length - size < more) {
      byte[] larger = new byte[Math.max(buffer.length * 2, size + more)];
      System.arraycopy(buffer, 0, larger, 0, size);
      buffer = larger;
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
