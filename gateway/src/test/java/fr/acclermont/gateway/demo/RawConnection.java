package fr.acclermont.gateway.demo;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A blocking HTTP/1.1 client on one socket, for what {@code java.net.http} hides: connection
 * reuse, pipelining, HEAD framing, resets, stalls and raw chunked encoding.
 */
final class RawConnection implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A response head; header names are lower-cased. */
  record Head(String version, int status, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    long contentLength() {
      return Long.parseLong(headers.get("content-length"));
    }
  }

  /** A response head and its body. */
  record Response(Head head, byte[] body) {
    int status() {
      return head.status();
    }

    String header(String name) {
      return head.header(name);
    }
  }

  Socket socket() {
    return socket;
  }

  /** Sends a GET (or any method) with the given extra header lines. */
  RawConnection send(String method, String target, String... headerLines) throws IOException {
    StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: origin.test\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return sendRaw(request.append("\r\n").toString());
  }

  RawConnection sendRaw(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return this;
  }

  /** Reads a whole response; {@code head} says whether it answers a HEAD (no body follows). */
  Response read(boolean head) throws IOException {
    Head h = readHead();
    if (head || h.status() == 304 || h.status() == 204) {
      return new Response(h, new byte[0]);
    }
    if ("chunked".equalsIgnoreCase(h.header("transfer-encoding"))) {
      return new Response(h, readChunked());
    }
    if (h.header("content-length") == null) {
      return new Response(h, in.readAllBytes());
    }
    return new Response(h, readBytes((int) h.contentLength()));
  }

  Head readHead() throws IOException {
    String statusLine = readLine();
    String[] parts = statusLine.split(" ", 3);
    Map<String, String> headers = new TreeMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return new Head(parts[0], Integer.parseInt(parts[1]), headers);
  }

  byte[] readBytes(int count) throws IOException {
    byte[] bytes = in.readNBytes(count);
    if (bytes.length < count) {
      throw new EOFException("got " + bytes.length + " of " + count + " bytes");
    }
    return bytes;
  }

  /** Reads until end of stream; an I/O error (e.g. a reset) propagates. */
  int readToEnd(byte[] buffer) throws IOException {
    return in.read(buffer);
  }

  InputStream in() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(readLine().trim(), 16); size > 0; size = Integer.parseInt(readLine().trim(), 16)) {
      body.write(readBytes(size));
      readLine();
    }
    readLine();
    return body.toByteArray();
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed after \"" + line + "\"");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
