package fr.acclermont.gateway.testing;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted HTTP/1.1 origin over plain sockets, for what the demo origin never sends: interim
 * {@code 1xx} responses, a {@code 101}, bytes exactly as written. For each request it reads the
 * head, writes the script's {@link Answer#interim} at once (before reading the body, as a server
 * answering {@code Expect: 100-continue} does), reads the body ({@code Content-Length} or chunked),
 * records the request, then writes {@link Answer#response}. Connections are kept alive until the
 * peer closes or the response says {@code Connection: close}.
 *
 * <p>Over TLS when started with a server {@link SslContext} of the JDK's engine (the sockets are
 * the JDK's).
 *
 * <p>One thread per connection; {@link #received} is thread-safe. Each request is recorded before
 * its response is written, so a test that has read a response may assert on the request at once.
 */
public final class RawOrigin implements AutoCloseable {

  /** A request head; header names are lower-cased. */
  public record Request(String method, String target, Map<String, List<String>> headers) {

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** A request as the origin received it: head and body. */
  public record Received(Request request, byte[] body) {
  }

  /**
   * What to answer, as raw bytes (ISO-8859-1 text).
   *
   * @param interim written as soon as the head is read, before the body; empty for none
   * @param response written once the whole request is read; empty: the connection is closed
   *     instead, without an answer (the request is recorded all the same)
   */
  public record Answer(String interim, String response) {

    /** An answer without interim bytes. */
    public static Answer of(String response) {
      return new Answer("", response);
    }

    /** No answer: once the whole request is read, the connection is closed. */
    public static Answer closeUnanswered() {
      return new Answer("", "");
    }
  }

  private final ServerSocket server;
  private final boolean tls;
  private final Function<Request, Answer> script;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

  private RawOrigin(ServerSocket server, boolean tls, Function<Request, Answer> script) {
    this.server = server;
    this.tls = tls;
    this.script = script;
  }

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  public static RawOrigin start(Function<Request, Answer> script) throws IOException {
    return start(script, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
  }

  /**
   * Starts listening over TLS on an ephemeral port of 127.0.0.1.
   *
   * @param tls a server context of the JDK's engine ({@code SslProvider.JDK})
   */
  public static RawOrigin startTls(Function<Request, Answer> script, SslContext tls) throws IOException {
    if (!(tls instanceof JdkSslContext jdk)) {
      throw new IllegalArgumentException("tls: " + tls.getClass().getSimpleName() + " (expected: the JDK's engine)");
    }
    ServerSocket server = jdk.context().getServerSocketFactory().createServerSocket(0, 50,
        InetAddress.getLoopbackAddress());
    return start(script, server, true);
  }

  private static RawOrigin start(Function<Request, Answer> script, ServerSocket server, boolean tls) {
    RawOrigin origin = new RawOrigin(server, tls, script);
    Thread acceptor = new Thread(origin::acceptLoop, "raw-origin-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return origin;
  }

  /** The base URI, e.g. {@code http://127.0.0.1:40123} ({@code https} over TLS). */
  public URI baseUri() {
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.getLocalPort());
  }

  /** Every request received so far, in order of completion. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests received for {@code target} (exact origin-form target). */
  public List<Received> received(String target) {
    return received.stream().filter(r -> r.request().target().equals(target)).toList();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        Thread worker = new Thread(() -> serve(socket), "raw-origin-conn");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        Request request = readHead(in);
        if (request == null) {
          return; // the peer closed between requests
        }
        Answer answer = script.apply(request);
        write(out, answer.interim());
        byte[] body = readBody(in, request);
        received.add(new Received(request, body));
        if (answer.response().isEmpty()) {
          return;
        }
        write(out, answer.response());
        if (answer.response().toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n")) {
          return;
        }
      }
    } catch (IOException e) {
      // the peer went away mid-request: nothing to answer
    } finally {
      connections.remove(socket);
    }
  }

  private static void write(OutputStream out, String raw) throws IOException {
    if (!raw.isEmpty()) {
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
  }

  private static Request readHead(InputStream in) throws IOException {
    String requestLine;
    try {
      requestLine = line(in);
    } catch (EOFException e) {
      return null;
    }
    String[] parts = requestLine.split(" ", 3);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(header.substring(colon + 1).trim());
    }
    return new Request(parts[0], parts[1], headers);
  }

  private static byte[] readBody(InputStream in, Request request) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String te = request.header("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
        body.write(in.readNBytes((int) size));
        line(in);
      }
      for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
        // trailers are ignored
      }
    } else if (request.header("content-length") != null) {
      int length = Integer.parseInt(request.header("content-length"));
      byte[] bytes = in.readNBytes(length);
      if (bytes.length < length) {
        throw new EOFException("body cut at " + bytes.length + " of " + length + " bytes");
      }
      body.write(bytes);
    }
    return body.toByteArray();
  }

  private static long chunkSize(String line) {
    int semicolon = line.indexOf(';');
    return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int previous = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed");
      }
      if (c == '\n' && previous == '\r') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(c);
      previous = c;
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : connections) {
      socket.close();
    }
  }
}
