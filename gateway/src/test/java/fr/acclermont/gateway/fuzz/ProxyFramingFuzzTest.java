package fr.acclermont.gateway.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fuzz target 1b (issue #14): request framing over real sockets, a gateway in front of a
 * {@link ScriptedOrigin} on 127.0.0.1. Each input is one connection carrying one to three requests
 * whose framing fields are drawn from the cases a proxy and an origin may read differently
 * (Content-Length with Transfer-Encoding, duplicated or signed lengths, framing fields named in
 * Connection, lenient chunk sizes and extensions, chunk data without its CRLF, GET and HEAD with
 * a body), each body holding a complete request for {@code /books/SMUGGLED}. The client never sends
 * that target in a request line, so the origin must never receive it: if it does, the gateway
 * framed a body one way and forwarded bytes the origin framed another way. Each input waits for the
 * gateway's answers (or its close), then for a sentinel request to reach the origin, before checking.
 */
class ProxyFramingFuzzTest {

  private static final String SMUGGLED = "GET /books/SMUGGLED HTTP/1.1\r\nHost: x\r\n\r\n";
  /** POST first: what an exhausted input gets. GET and HEAD, refused with a body, a third of the time. */
  private static final String[] METHODS = {"POST", "PUT", "GET", "HEAD", "DELETE", "OPTIONS"};
  /** A framing field named in Connection, which a proxy must not strip; the first is an empty input's. */
  private static final String[] CONNECTION_FRAMINGS = {"conn-cl", "conn-cl-lower-last", "conn-cl-second-line",
      "conn-cl-spaces", "conn-te", "conn-close-te", "conn-host-cl"};
  private static final String[] FRAMINGS = {"cl", "te", "cl+te", "te+cl", "cl,cl", "cl cl-differs", "cl-plus",
      "te-gzip-chunked", "te-chunked-gzip", "te-Chunked", "te-twice", "te-space", "none-with-body", "te-identity",
      "cl-leading-zero", "te-tab"};
  private static final String[] SIZE_FORMS = {"%x", "%x", "%X", "%x;ext=1", "%x ;ext", "%x\t", " %x", "0%x",
      "0x%x", "+%x", "%x;a=\"b\r\nc\""};
  private static final String[] EOLS = {"\r\n", "\r\n", "\r\n", "\n", "\r"};

  /** The origin's path for the sentinel request that closes each input's check. */
  private static final String SENTINEL = "/books/SENTINEL";
  /** Bound on each wait: the gateway's answers or close, then the sentinel's arrival at the origin. */
  private static final long WAIT_MILLIS = 2_000;

  private static ScriptedOrigin origin;
  private static Gateway gateway;
  private static int port;
  private static final AtomicReference<CompletableFuture<Void>> sentinelSeen = new AtomicReference<>();
  /** How many of the origin's received requests earlier inputs already checked. */
  private static int checked;

  private static synchronized void start() throws InterruptedException {
    if (gateway == null) {
      origin = ScriptedOrigin.start(0, Clock.systemUTC());
      origin.answer(SENTINEL, r -> {
        CompletableFuture<Void> seen = sentinelSeen.get();
        if (seen != null) {
          seen.complete(null);
        }
        return new ScriptedOrigin.Answer(200, "ok", "Cache-Control", "no-store");
      });
      gateway = TestGateways.start(origin.baseUri());
      port = gateway.port();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        gateway.close();
        origin.close();
      }));
    }
  }

  @FuzzTest(maxDuration = "10m")
  void framing(FuzzedDataProvider data) throws Exception {
    // Jazzer's SSRF detector would report the harness's and the gateway's own loopback connections
    // (the policy holds for the current input only; the pom also disables that hook).
    BugDetectors.allowNetworkConnections();
    start();
    Generated in = input(data);
    byte[] answer = exchange(in.bytes(), in.bodiless());
    // Everything the gateway forwarded for this input has reached the origin once a later request
    // has: one on a fresh connection, answered by the origin's only event loop after what was
    // already readable on the others (a pooled connection carries it after them in order).
    CompletableFuture<Void> seen = new CompletableFuture<>();
    sentinelSeen.set(seen);
    exchange(("GET " + SENTINEL + " HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), new boolean[1]);
    try {
      seen.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the sentinel request never reached the origin after "
          + RequestPathFuzzTest.printable(in.bytes()), e);
    }
    List<ScriptedOrigin.Received> received = origin.received();
    // From where the last input's check stopped: a request arriving late is still caught.
    for (ScriptedOrigin.Received r : received.subList(Math.min(checked, received.size()), received.size())) {
      if (r.path().contains("SMUGGLED")) {
        throw new AssertionError("the origin received " + r.method() + " " + r.path() + " from a body; client sent "
            + RequestPathFuzzTest.printable(in.bytes()) + "\ngateway answered " + RequestPathFuzzTest.printable(answer));
      }
    }
    checked = received.size();
  }

  /**
   * Sends {@code bytes} and reads until the gateway has answered {@code bodiless.length} requests or
   * closed the connection, for at most {@link #WAIT_MILLIS}: the connection stays open while the
   * gateway forwards what it read (closing it early would abort the exchange before the body goes).
   */
  private static byte[] exchange(byte[] bytes, boolean[] bodiless) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      try {
        while (got.size() < 1 << 20 && Responses.complete(got.toByteArray(), bodiless) < bodiless.length) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            break;
          }
          socket.setSoTimeout((int) left);
          int n = in.read(buf);
          if (n < 0) {
            break; // closed by the gateway
          }
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException quiet) {
        // the deadline passed, or the gateway reset the connection
      }
      return got.toByteArray();
    }
  }

  /** Counts the complete HTTP/1.1 responses at the start of what the gateway sent. */
  static final class Responses {
    private Responses() {
    }

    /** {@code bodiless[i]}: the i-th answer has no body whatever its length says (a HEAD's). */
    static int complete(byte[] b, boolean[] bodiless) {
      String s = new String(b, StandardCharsets.ISO_8859_1);
      int count = 0;
      int at = 0;
      while (true) {
        int end = s.indexOf("\r\n\r\n", at);
        if (end < 0) {
          return count;
        }
        String head = s.substring(at, end).toLowerCase(java.util.Locale.ROOT);
        int bodyAt = end + 4;
        int status = head.length() > 12 ? parse(head.substring(9, 12)) : -1;
        boolean noBody = status / 100 == 1 || status == 204 || status == 304
            || count < bodiless.length && bodiless[count];
        if (head.contains("\r\ntransfer-encoding: chunked")) {
          int last = s.indexOf("\r\n0\r\n\r\n", bodyAt - 2);
          if (last < 0) {
            return count;
          }
          at = last + 7;
        } else {
          int cl = head.indexOf("\r\ncontent-length:");
          long length = 0;
          if (cl >= 0 && !noBody) {
            int eol = head.indexOf("\r\n", cl + 2);
            length = parse(head.substring(cl + 17, eol < 0 ? head.length() : eol).trim());
          }
          if (length < 0 || s.length() - bodyAt < length) {
            return count;
          }
          at = bodyAt + (int) length;
        }
        count++;
      }
    }

    private static int parse(String digits) {
      try {
        return Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  /** The bytes of one connection and the number of requests the client meant them as. */
  record Generated(byte[] bytes, boolean[] bodiless) {
  }

  /**
   * One to three requests. Each choice is drawn from the end of the data, its first option taken when
   * the data runs out, so an empty input is the case that must never pass: {@code POST} with
   * {@code Connection: Content-Length}, its body a whole request. A third of the requests name a
   * framing field in {@code Connection} (the cases where stripping a hop-by-hop field reframes the
   * body), the others draw from the rest; a quarter of the inputs then get one byte changed.
   */
  static Generated input(FuzzedDataProvider data) {
    StringBuilder out = new StringBuilder();
    int requests = data.consumeInt(1, 3);
    boolean[] bodiless = new boolean[requests];
    for (int i = 0; i < requests; i++) {
      String framing = data.consumeInt(0, 2) == 0 ? data.pickValue(CONNECTION_FRAMINGS) : data.pickValue(FRAMINGS);
      String method = data.pickValue(METHODS);
      bodiless[i] = method.equals("HEAD");
      String body = data.consumeBoolean() ? "x" + SMUGGLED : SMUGGLED;
      String eol = data.consumeInt(0, 9) == 9 ? data.pickValue(EOLS) : "\r\n";
      out.append(method).append(" /books/a-").append(i).append(" HTTP/1.1").append(eol).append("Host: g").append(eol);
      int len = body.length();
      switch (framing) {
        case "conn-cl" -> out.append("Connection: Content-Length").append(eol).append("Content-Length: ").append(len)
            .append(eol).append(eol).append(body);
        case "conn-cl-lower-last" -> out.append("Connection: keep-alive, content-length").append(eol)
            .append("Content-Length: ").append(len).append(eol).append(eol).append(body);
        case "conn-cl-second-line" -> out.append("Connection: keep-alive").append(eol).append("Content-Length: ")
            .append(len).append(eol).append("Connection: CONTENT-LENGTH").append(eol).append(eol).append(body);
        case "conn-cl-spaces" -> out.append("Connection: ,  Content-Length  ,").append(eol).append("Content-Length: ")
            .append(len).append(eol).append(eol).append(body);
        case "conn-te" -> out.append("Connection: Transfer-Encoding").append(eol).append("Transfer-Encoding: chunked")
            .append(eol).append(eol).append(chunked(data, body, eol));
        case "conn-close-te" -> out.append("Connection: close, transfer-encoding").append(eol)
            .append("Transfer-Encoding: chunked").append(eol).append(eol).append(chunked(data, body, eol));
        case "conn-host-cl" -> out.append("Connection: Host").append(eol).append("Content-Length: ").append(len)
            .append(eol).append(eol).append(body);
        case "cl" -> out.append("Content-Length: ").append(len).append(eol).append(eol).append(body);
        case "te" -> out.append("Transfer-Encoding: chunked").append(eol).append(eol).append(chunked(data, body, eol));
        case "cl+te" -> out.append("Content-Length: ").append(data.consumeInt(0, 80)).append(eol)
            .append("Transfer-Encoding: chunked").append(eol).append(eol).append(chunked(data, body, eol));
        case "te+cl" -> out.append("Transfer-Encoding: chunked").append(eol).append("Content-Length: ")
            .append(data.consumeInt(0, 80)).append(eol).append(eol).append(chunked(data, body, eol));
        case "cl,cl" -> out.append("Content-Length: ").append(len).append(", ").append(len).append(eol).append(eol)
            .append(body);
        case "cl cl-differs" -> out.append("Content-Length: ").append(len).append(eol).append("Content-Length: ")
            .append(data.consumeInt(0, 80)).append(eol).append(eol).append(body);
        case "cl-plus" -> out.append("Content-Length: +").append(len).append(eol).append(eol).append(body);
        case "cl-leading-zero" -> out.append("Content-Length: 00").append(len).append(eol).append(eol).append(body);
        case "te-gzip-chunked" -> out.append("Transfer-Encoding: gzip, chunked").append(eol).append(eol)
            .append(chunked(data, body, eol));
        case "te-chunked-gzip" -> out.append("Transfer-Encoding: chunked, gzip").append(eol).append(eol).append(body);
        case "te-Chunked" -> out.append("Transfer-Encoding: Chunked").append(eol).append(eol)
            .append(chunked(data, body, eol));
        case "te-twice" -> out.append("Transfer-Encoding: chunked").append(eol).append("Transfer-Encoding: chunked")
            .append(eol).append(eol).append(chunked(data, body, eol));
        case "te-space" -> out.append("Transfer-Encoding : chunked").append(eol).append(eol)
            .append(chunked(data, body, eol));
        case "te-tab" -> out.append("Transfer-Encoding:\tchunked\t").append(eol).append(eol)
            .append(chunked(data, body, eol));
        case "te-identity" -> out.append("Transfer-Encoding: identity").append(eol).append(eol).append(body);
        // No framing field: the body is no body (RFC 9112 6.3) but the next request, which the client
        // sends in plain sight; it must not be the marker, or the origin would rightly receive it.
        default -> out.append(eol).append(body.replace("SMUGGLED", "pipelined"));
      }
    }
    byte[] bytes = out.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (data.consumeInt(0, 3) == 3 && bytes.length > 0) {
      bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
    }
    return new Generated(bytes, bodiless);
  }

  private static String chunked(FuzzedDataProvider data, String body, String eol) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < body.length()) {
      int size = Math.min(body.length() - at, body.length() - data.consumeInt(0, body.length() - 1));
      out.append(String.format(data.pickValue(SIZE_FORMS), size)).append(eol).append(body, at, at + size);
      out.append(data.consumeInt(0, 7) == 7 ? "" : eol); // chunk data without its CRLF
      at += size;
    }
    return out.append("0").append(eol).append(eol).toString();
  }

  static {
    try {
      start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
