package fr.acclermont.gateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately plain HTTP/1.1 client over one socket, for tests that must control the bytes on
 * the wire (malformed requests, keep-alive reuse, slow reading) and check framing exactly.
 */
public final class TestHttpClient implements AutoCloseable {

  private static final int DEFAULT_TIMEOUT_MILLIS = 15_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private TestHttpClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.out = socket.getOutputStream();
  }

  /** Connects to 127.0.0.1:port. */
  public static TestHttpClient connect(int port) throws IOException {
    return connect(port, 0);
  }

  /** Connects with a given receive buffer (0 = system default), for slow-reader tests. */
  public static TestHttpClient connect(int port, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), DEFAULT_TIMEOUT_MILLIS);
    socket.setSoTimeout(DEFAULT_TIMEOUT_MILLIS);
    return new TestHttpClient(socket);
  }

  /** Speaks over a socket already connected (an {@code SSLSocket} for HTTPS tests). */
  public static TestHttpClient over(Socket socket) throws IOException {
    socket.setSoTimeout(DEFAULT_TIMEOUT_MILLIS);
    return new TestHttpClient(socket);
  }

  /** Sets the read timeout. */
  public TestHttpClient timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
    return this;
  }

  /** Sends raw bytes as they are. */
  public TestHttpClient sendRaw(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Sends raw bytes (a request body). */
  public TestHttpClient sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Sends a GET for {@code target} with optional extra header lines ("Name: value"). */
  public TestHttpClient get(String target, String... headers) throws IOException {
    return request("GET", target, headers);
  }

  /** Sends a body-less request. */
  public TestHttpClient request(String method, String target, String... headers) throws IOException {
    StringBuilder sb = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: test\r\n");
    for (String header : headers) {
      sb.append(header).append("\r\n");
    }
    return sendRaw(sb.append("\r\n").toString());
  }

  /** Reads one response, keeping its body in memory. */
  public Response read() throws IOException {
    return read(false, true);
  }

  /** Reads the response to a HEAD request (no body whatever the headers say). */
  public Response readHead() throws IOException {
    return read(true, true);
  }

  /** Reads one response, digesting its body without keeping it (large bodies). */
  public Response readDigestOnly() throws IOException {
    return read(false, false);
  }

  /**
   * Reads a response's status line and header fields only, leaving its body unread: the server is
   * then in the middle of that response, held back by this client, until {@link #readBodyDigestOnly}.
   */
  public Head readStatusAndHeaders() throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(header.substring(colon + 1).trim());
    }
    return new Head(status, headers);
  }

  /** Reads the body of the response whose {@code head} was read, digesting it without keeping it. */
  public Response readBodyDigestOnly(Head head) throws IOException {
    return readBody(head, false, false);
  }

  private Response read(boolean headRequest, boolean keepBody) throws IOException {
    return readBody(readStatusAndHeaders(), headRequest, keepBody);
  }

  private Response readBody(Head head, boolean headRequest, boolean keepBody) throws IOException {
    int status = head.status();
    Map<String, List<String>> headers = head.headers();
    Body body = new Body(keepBody);
    boolean complete = true;
    if (!headRequest && status >= 200 && status != 204 && status != 304) {
      String te = first(headers, "transfer-encoding");
      String cl = first(headers, "content-length");
      if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
        complete = readChunked(body);
      } else if (cl != null) {
        complete = readFixed(body, Long.parseLong(cl));
      } else {
        readToEnd(body);
      }
    }
    return new Response(status, headers, body.bytes(), body.length, body.sha256(), complete);
  }

  private boolean readChunked(Body body) throws IOException {
    while (true) {
      String sizeLine;
      try {
        sizeLine = line();
      } catch (EOFException e) {
        return false;
      }
      int semicolon = sizeLine.indexOf(';');
      long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
          // trailers are ignored
        }
        return true;
      }
      if (!readFixed(body, size)) {
        return false;
      }
      line();
    }
  }

  private boolean readFixed(Body body, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n;
      try {
        n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      } catch (java.net.SocketException e) {
        return false; // reset: the body is incomplete
      }
      if (n < 0) {
        return false;
      }
      body.add(buffer, n);
      left -= n;
    }
    return true;
  }

  private void readToEnd(Body body) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      body.add(buffer, n);
    }
  }

  /** Reads exactly {@code n} raw bytes (or fewer at end of stream) and returns how many came. */
  public long readRaw(long n) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long got = 0;
    while (got < n) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n - got));
      if (r < 0) {
        break;
      }
      got += r;
    }
    return got;
  }

  /** Whether the server closed the connection (reads EOF or a reset within the timeout). */
  public boolean isClosedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream sb = new ByteArrayOutputStream(128);
    int previous = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed; read so far: " + sb.toString(StandardCharsets.ISO_8859_1));
      }
      if (c == '\n' && previous == '\r') {
        byte[] bytes = sb.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      sb.write(c);
      previous = c;
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A SHA-256 in lowercase hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A response's status and header fields (names lower-cased), before its body is read.
   *
   * @param status the status code
   * @param headers the header fields by lower-cased name
   */
  public record Head(int status, Map<String, List<String>> headers) {
  }

  /**
   * One response as received.
   *
   * @param body the body, or null when only digested
   * @param complete whether the body arrived in full per its framing
   */
  public record Response(int status, Map<String, List<String>> headers, byte[] body, long bodyLength,
      String sha256, boolean complete) {

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
      return first(headers, name.toLowerCase(Locale.ROOT));
    }

    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final class Body {
    private final ByteArrayOutputStream kept;
    private final MessageDigest digest;
    private long length;

    Body(boolean keep) {
      this.kept = keep ? new ByteArrayOutputStream() : null;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    void add(byte[] buffer, int n) {
      if (kept != null) {
        kept.write(buffer, 0, n);
      }
      digest.update(buffer, 0, n);
      length += n;
    }

    byte[] bytes() {
      return kept == null ? null : kept.toByteArray();
    }

    String sha256() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
