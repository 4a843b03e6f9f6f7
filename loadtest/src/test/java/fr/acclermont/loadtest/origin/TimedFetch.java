package fr.acclermont.loadtest.origin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * One GET over a fresh connection, timing what arrives: the first byte, the longest silence
 * between two reads, the whole exchange. Reads a fixed-length body until it is complete, the
 * peer closes or the connection is reset.
 */
final class TimedFetch {

  private static final int TIMEOUT_MILLIS = 15_000;
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  private TimedFetch() {}

  /**
   * One response as timed.
   *
   * @param status the status code
   * @param contentLength the announced body length
   * @param body the body bytes received
   * @param reset whether the connection was reset
   * @param firstByte from the request sent to the first byte received
   * @param longestSilence the longest gap between two reads after the first byte
   * @param total from the request sent to the last byte received
   */
  record Response(int status, long contentLength, byte[] body, boolean reset, Duration firstByte,
      Duration longestSilence, Duration total) {

    /** Whether the body arrived in full. */
    boolean complete() {
      return body.length == contentLength;
    }
  }

  static Response get(int port, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      InputStream in = socket.getInputStream();
      long sent = System.nanoTime();
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      long first = -1;
      long last = sent;
      long longestSilence = 0;
      int headerEnd = -1;
      long contentLength = -1;
      boolean reset = false;
      while (headerEnd < 0 || received.size() - headerEnd < contentLength) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketException e) {
          reset = true;
          break;
        }
        if (n < 0) {
          break;
        }
        long now = System.nanoTime();
        if (first < 0) {
          first = now;
        } else {
          longestSilence = Math.max(longestSilence, now - last);
        }
        last = now;
        received.write(buffer, 0, n);
        if (headerEnd < 0) {
          headerEnd = indexOf(received.toByteArray(), HEADER_END);
          if (headerEnd >= 0) {
            headerEnd += HEADER_END.length;
            contentLength = contentLength(received.toByteArray(), headerEnd);
          }
        }
      }
      if (headerEnd < 0) {
        throw new IOException("no complete response head; received " + received.size() + " bytes");
      }
      byte[] all = received.toByteArray();
      String head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      return new Response(status, contentLength, Arrays.copyOfRange(all, headerEnd, all.length), reset,
          Duration.ofNanos(first - sent), Duration.ofNanos(longestSilence), Duration.ofNanos(last - sent));
    }
  }

  private static long contentLength(byte[] bytes, int headerEnd) {
    for (String line : new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  private static int indexOf(byte[] bytes, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
