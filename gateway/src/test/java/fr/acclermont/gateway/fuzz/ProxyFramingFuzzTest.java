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

/**
 * Fuzz target 1b (issue #14): request framing over real sockets, a gateway in front of a
 * {@link ScriptedOrigin} on 127.0.0.1. Each input is one connection carrying one to three requests
 * whose framing fields are drawn from the cases a proxy and an origin may read differently
 * (Content-Length with Transfer-Encoding, duplicated or signed lengths, framing fields named in
 * Connection, lenient chunk sizes and extensions, chunk data without its CRLF, GET and HEAD with
 * a body), each body holding a complete request for {@code /books/SMUGGLED}. The client never sends
 * that target in a request line, so the origin must never receive it: if it does, the gateway
 * framed a body one way and forwarded bytes the origin framed another way.
 */
class ProxyFramingFuzzTest {

  private static final String SMUGGLED = "GET /books/SMUGGLED HTTP/1.1\r\nHost: x\r\n\r\n";
  private static final String[] METHODS = {"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS"};
  private static final String[] FRAMINGS = {"cl", "te", "cl+te", "te+cl", "cl,cl", "cl cl-differs", "cl-plus",
      "te-gzip-chunked", "te-chunked-gzip", "te-Chunked", "te-twice", "te-space", "conn-cl", "conn-te",
      "conn-close-te", "conn-cl-te", "none-with-body", "te-identity", "cl-leading-zero", "te-tab"};
  private static final String[] SIZE_FORMS = {"%x", "%x", "%X", "%x;ext=1", "%x ;ext", "%x\t", " %x", "0%x",
      "0x%x", "+%x", "%x;a=\"b\r\nc\""};
  private static final String[] EOLS = {"\r\n", "\r\n", "\r\n", "\n", "\r"};

  private static ScriptedOrigin origin;
  private static Gateway gateway;
  private static int port;

  private static synchronized void start() throws InterruptedException {
    if (gateway == null) {
      origin = ScriptedOrigin.start(0, Clock.systemUTC());
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
    byte[] bytes = input(data);
    int before = origin.received().size();
    byte[] answer = exchange(bytes);
    Thread.sleep(20); // what the gateway forwarded last reaches the origin
    List<ScriptedOrigin.Received> received = origin.received();
    for (ScriptedOrigin.Received r : received.subList(Math.min(before, received.size()), received.size())) {
      if (r.path().contains("SMUGGLED")) {
        throw new AssertionError("the origin received " + r.method() + " " + r.path() + " from a body; client sent "
            + RequestPathFuzzTest.printable(bytes) + "\ngateway answered " + RequestPathFuzzTest.printable(answer));
      }
    }
  }

  private static byte[] exchange(byte[] bytes) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(150);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0 && got.size() < 1 << 20) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException quiet) {
        // the gateway has answered what it will, or reset the connection
      }
      return got.toByteArray();
    }
  }

  static byte[] input(FuzzedDataProvider data) {
    StringBuilder out = new StringBuilder();
    int requests = data.consumeInt(1, 3);
    for (int i = 0; i < requests; i++) {
      String eol = data.consumeInt(0, 9) == 0 ? data.pickValue(EOLS) : "\r\n";
      String method = data.pickValue(METHODS);
      String body = data.consumeBoolean() ? SMUGGLED : "x" + SMUGGLED;
      String framing = data.pickValue(FRAMINGS);
      out.append(method).append(" /books/a-").append(i).append(" HTTP/1.1").append(eol).append("Host: g").append(eol);
      String chunked = chunked(data, body, eol);
      int len = body.length();
      switch (framing) {
        case "cl" -> out.append("Content-Length: ").append(len).append(eol).append(eol).append(body);
        case "te" -> out.append("Transfer-Encoding: chunked").append(eol).append(eol).append(chunked);
        case "cl+te" -> out.append("Content-Length: ").append(data.consumeInt(0, 80)).append(eol)
            .append("Transfer-Encoding: chunked").append(eol).append(eol).append(chunked);
        case "te+cl" -> out.append("Transfer-Encoding: chunked").append(eol).append("Content-Length: ")
            .append(data.consumeInt(0, 80)).append(eol).append(eol).append(chunked);
        case "cl,cl" -> out.append("Content-Length: ").append(len).append(", ").append(len).append(eol).append(eol)
            .append(body);
        case "cl cl-differs" -> out.append("Content-Length: ").append(len).append(eol).append("Content-Length: ")
            .append(data.consumeInt(0, 80)).append(eol).append(eol).append(body);
        case "cl-plus" -> out.append("Content-Length: +").append(len).append(eol).append(eol).append(body);
        case "cl-leading-zero" -> out.append("Content-Length: 00").append(len).append(eol).append(eol).append(body);
        case "te-gzip-chunked" -> out.append("Transfer-Encoding: gzip, chunked").append(eol).append(eol).append(chunked);
        case "te-chunked-gzip" -> out.append("Transfer-Encoding: chunked, gzip").append(eol).append(eol).append(body);
        case "te-Chunked" -> out.append("Transfer-Encoding: Chunked").append(eol).append(eol).append(chunked);
        case "te-twice" -> out.append("Transfer-Encoding: chunked").append(eol).append("Transfer-Encoding: chunked")
            .append(eol).append(eol).append(chunked);
        case "te-space" -> out.append("Transfer-Encoding : chunked").append(eol).append(eol).append(chunked);
        case "te-tab" -> out.append("Transfer-Encoding:\tchunked\t").append(eol).append(eol).append(chunked);
        case "te-identity" -> out.append("Transfer-Encoding: identity").append(eol).append(eol).append(body);
        case "conn-cl" -> out.append("Connection: Content-Length").append(eol).append("Content-Length: ").append(len)
            .append(eol).append(eol).append(body);
        case "conn-te" -> out.append("Connection: Transfer-Encoding").append(eol).append("Transfer-Encoding: chunked")
            .append(eol).append(eol).append(chunked);
        case "conn-close-te" -> out.append("Connection: close, transfer-encoding").append(eol)
            .append("Transfer-Encoding: chunked").append(eol).append(eol).append(chunked);
        case "conn-cl-te" -> out.append("Connection: keep-alive, content-length").append(eol)
            .append("Content-Length: ").append(len).append(eol).append(eol).append(body);
        default -> out.append(eol).append(body);
      }
    }
    byte[] bytes = out.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (data.consumeInt(0, 3) == 0 && bytes.length > 0) {
      bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
    }
    return bytes;
  }

  private static String chunked(FuzzedDataProvider data, String body, String eol) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < body.length()) {
      int size = Math.min(body.length() - at, data.consumeInt(1, body.length()));
      out.append(String.format(data.pickValue(SIZE_FORMS), size)).append(eol).append(body, at, at + size);
      out.append(data.consumeInt(0, 7) == 0 ? "" : eol); // chunk data without its CRLF
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
