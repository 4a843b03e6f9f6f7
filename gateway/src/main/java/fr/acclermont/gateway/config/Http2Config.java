package fr.acclermont.gateway.config;

import java.util.List;

/**
 * Limits of the HTTP/2 edge ({@code server.http2.*}), used on connections whose TLS handshake
 * selected {@code h2}. Immutable; the ranges are checked here, each failure naming its key.
 *
 * @param enabled whether ALPN offers {@code h2} (default true); false keeps HTTPS on HTTP/1.1
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS advertised and enforced, {@code >= 1}
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE in bytes, {@code >= 1024}; a larger
 *     header block (CONTINUATION frames included) is refused
 * @param initialWindowSize the per-stream flow-control window in bytes, {@code 1024..2^31-1}: what a
 *     stream whose client does not read can hold queued at most
 * @param maxResetsPerWindow resets a client may send within {@code resetWindowSeconds} before the
 *     connection gets GOAWAY (rapid reset, CVE-2023-44487), {@code >= 1}
 * @param resetWindowSeconds the window for {@code maxResetsPerWindow}, {@code >= 1}
 * @param maxQueuedControlFrames the control frames (SETTINGS/PING acks, RST_STREAM) queued for a
 *     client that does not read before the connection closes (SETTINGS and PING floods),
 *     {@code >= 1}
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int maxHeaderListSize, int initialWindowSize,
    int maxResetsPerWindow, int resetWindowSeconds, int maxQueuedControlFrames) {

  /** The keys of {@code server.http2}. */
  public static final List<String> KEYS = List.of("enabled", "max-concurrent-streams",
      "max-header-list-size", "initial-window-size", "max-resets-per-window", "reset-window",
      "max-queued-control-frames");

  /**
   * Creates an HTTP/2 configuration.
   *
   * @throws ConfigException if a value is out of its range; the message names the key
   */
  public Http2Config {
    check(maxConcurrentStreams >= 1, "server.http2.max-concurrent-streams", ">= 1", maxConcurrentStreams);
    check(maxHeaderListSize >= 1024, "server.http2.max-header-list-size", ">= 1024", maxHeaderListSize);
    check(initialWindowSize >= 1024, "server.http2.initial-window-size", ">= 1024", initialWindowSize);
    check(maxResetsPerWindow >= 1, "server.http2.max-resets-per-window", ">= 1", maxResetsPerWindow);
    check(resetWindowSeconds >= 1, "server.http2.reset-window", ">= 1s", resetWindowSeconds);
    check(maxQueuedControlFrames >= 1, "server.http2.max-queued-control-frames", ">= 1", maxQueuedControlFrames);
  }

  /**
   * Returns the documented defaults: 128 streams, 16KiB of headers, a 64KiB window, 200 resets per
   * 30 seconds (Netty's and nginx's order of magnitude), 10000 queued control frames (Netty's).
   *
   * @return the default HTTP/2 configuration
   */
  public static Http2Config defaults() {
    return new Http2Config(true, 128, 16 * 1024, 64 * 1024, 200, 30, 10_000);
  }

  private static void check(boolean ok, String key, String range, int value) {
    if (!ok) {
      throw new ConfigException(key + " must be " + range + ", got " + value);
    }
  }
}
