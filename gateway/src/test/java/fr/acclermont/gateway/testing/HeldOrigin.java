package fr.acclermont.gateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An origin that holds a download in the middle, for what must survive while one is under way (a
 * reload): {@code GET /blobs/held} answers 200 with {@link #BODY}, writes its first half, then
 * waits for {@link #release} before the rest. {@code /blobs/held-ranges} answers a {@code Range}
 * of {@link #BODY} with its 206 (strong {@code ETag}); a range from byte 0 is held the same way
 * after its first half, any other is sent at once. {@code /blobs/stall} reads the request and never
 * answers (a response timeout's target). Anything else: 200 {@code ok}. Plain sockets, one thread
 * per connection, on 127.0.0.1 and an ephemeral port; every request target is recorded, and every
 * {@code Range} asked ({@link #ranges}).
 */
public final class HeldOrigin implements AutoCloseable {

  /** The held body: 2 MiB of seeded random bytes. */
  public static final byte[] BODY = body();

  private final ServerSocket server;
  private final CountDownLatch released = new CountDownLatch(1);
  private final CountDownLatch firstHalfWritten = new CountDownLatch(1);
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> ranges = new LinkedBlockingQueue<>();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

  private HeldOrigin(ServerSocket server) {
    this.server = server;
    Thread acceptor = new Thread(this::accept, "held-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts the origin. */
  public static HeldOrigin start() throws IOException {
    return new HeldOrigin(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  /** The origin's URL. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Lets the held downloads write their second half. */
  public void release() {
    released.countDown();
  }

  /** Waits until a held download has written its first half. */
  public boolean awaitFirstHalf(long seconds) throws InterruptedException {
    return firstHalfWritten.await(seconds, TimeUnit.SECONDS);
  }

  /** The {@code Range} headers received, in order, as they arrive: a test polls the next one. */
  public BlockingQueue<String> ranges() {
    return ranges;
  }

  /** The request targets received, in order. */
  public List<String> received() {
    return List.copyOf(received);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        Thread thread = new Thread(() -> serve(socket), "held-origin-connection");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      for (String[] request = readHead(in); request != null; request = readHead(in)) {
        String target = request[0];
        received.add(target);
        if (request[1] != null) {
          ranges.add(request[1]);
        }
        if (target.startsWith("/blobs/held-ranges") && request[1] != null) {
          sendRange(out, request[1]);
          continue;
        }
        if (target.startsWith("/blobs/stall")) {
          while (in.read() >= 0) {
            // never answers; ends when the gateway gives up and closes
          }
          return;
        }
        if (target.startsWith("/blobs/held")) {
          int half = BODY.length / 2;
          out.write(head(BODY.length));
          out.write(BODY, 0, half);
          out.flush();
          firstHalfWritten.countDown();
          released.await();
          out.write(BODY, half, BODY.length - half);
        } else {
          out.write(head(2));
          out.write("ok".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the gateway closed the connection
    } finally {
      connections.remove(socket);
    }
  }

  /** A 206 of {@code bytes=first-last}; held after its first half when it starts at byte 0. */
  private void sendRange(OutputStream out, String range) throws IOException, InterruptedException {
    String[] bounds = range.substring("bytes=".length()).split("-");
    int first = Integer.parseInt(bounds[0]);
    int last = Math.min(BODY.length - 1, Integer.parseInt(bounds[1]));
    int length = last - first + 1;
    out.write(("HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\n"
        + "Cache-Control: max-age=600\r\nETag: \"held-ranges\"\r\nContent-Range: bytes " + first + "-" + last + "/"
        + BODY.length + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    if (first == 0) {
      out.write(BODY, 0, length / 2);
      out.flush();
      firstHalfWritten.countDown();
      released.await();
      out.write(BODY, length / 2, length - length / 2);
    } else {
      out.write(BODY, first, length);
    }
    out.flush();
  }

  private static byte[] head(int length) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nCache-Control: max-age=600\r\n"
        + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The request's target and its {@code Range} (or null), its head read to the blank line; null at
   * the end of the connection.
   */
  private static String @Nullable [] readHead(InputStream in) throws IOException {
    String requestLine = line(in);
    if (requestLine == null) {
      return null;
    }
    String range = null;
    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
      // GET requests only: no body to read
      if (header.regionMatches(true, 0, "Range:", 0, "Range:".length())) {
        range = header.substring("Range:".length()).trim();
      }
    }
    String[] parts = requestLine.split(" ");
    return new String[] {parts.length > 1 ? parts[1] : requestLine, range};
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(c);
    }
    return null;
  }

  private static byte[] body() {
    byte[] bytes = new byte[2 * 1024 * 1024];
    new Random(19).nextBytes(bytes);
    return bytes;
  }

  @Override
  public void close() throws IOException {
    released.countDown();
    server.close();
    for (Socket socket : connections) {
      socket.close();
    }
  }
}
