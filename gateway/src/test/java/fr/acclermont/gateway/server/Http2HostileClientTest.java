package fr.acclermont.gateway.server;

import static fr.acclermont.gateway.testing.RawH2Client.DATA;
import static fr.acclermont.gateway.testing.RawH2Client.END_HEADERS;
import static fr.acclermont.gateway.testing.RawH2Client.END_STREAM;
import static fr.acclermont.gateway.testing.RawH2Client.GOAWAY;
import static fr.acclermont.gateway.testing.RawH2Client.HEADERS;
import static fr.acclermont.gateway.testing.RawH2Client.MAX_FRAME_SIZE;
import static fr.acclermont.gateway.testing.RawH2Client.PING;
import static fr.acclermont.gateway.testing.RawH2Client.RST_STREAM;
import static fr.acclermont.gateway.testing.RawH2Client.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.RawH2Client;
import fr.acclermont.gateway.testing.RawH2Client.Frame;
import fr.acclermont.gateway.testing.TestPki;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 edge against hostile or broken clients, with a raw frame client ({@link RawH2Client})
 * on real sockets: rapid reset (CVE-2023-44487), a stream whose window is never opened next to one
 * that reads, the concurrent-stream cap, oversized header blocks and CONTINUATION floods, and a PING
 * flood from a client that does not read. One gateway with small {@code server.http2} limits: 20
 * resets per window, 4 concurrent streams, 100 queued control frames; the 16 KiB header-list
 * default.
 *
 * <p>No sleeps: the 15 s socket read timeout (and the 60 s per-test timeout, for a write that would
 * block) is only a failure bound.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Http2HostileClientTest {

  private static final int MAX_RESETS = 20;
  private static final int MAX_STREAMS = 4;
  private static final int MAX_CONTROL_FRAMES = 100;
  private static final int HEADER_LIST_LIMIT = 16 * 1024;
  private static final int WINDOW = 64 * 1024;

  /** Netty's log lines naming the limits it enforced (the configured values, not its defaults). */
  private static final NettyLimitLog LIMIT_LOG = new NettyLimitLog();

  private static Path dir;
  private static DemoOrigin demo;
  private static Gateway gateway;
  private static SSLContext tls;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("h2-hostile-test");
    TlsEdgeFixture.writePair(dir, TestPki.LOOPBACK);
    demo = DemoOrigin.start(DemoOriginOptions.builder().build());
    gateway = TlsEdgeFixture.start(demo.baseUri(), TlsEdgeFixture.tlsYaml(dir, "").replace("server: {",
        "server: { http2: { max-resets-per-window: " + MAX_RESETS + ", max-concurrent-streams: " + MAX_STREAMS
            + ", max-queued-control-frames: " + MAX_CONTROL_FRAMES + " },"));
    tls = TlsEdgeFixture.trustingTestCa();
    LIMIT_LOG.attach();
  }

  @AfterAll
  static void stop() throws Exception {
    LIMIT_LOG.detach();
    gateway.close();
    demo.close();
    PathUtils.deleteDirectory(dir);
  }

  private static RawH2Client connect() throws IOException {
    return RawH2Client.connect(tls, gateway.tlsPort());
  }

  /** Our SETTINGS: a 64 KiB stream window, stated rather than left to the 65,535 default. */
  private static Map<Integer, Integer> window64k() {
    return Map.of(RawH2Client.SETTINGS_INITIAL_WINDOW_SIZE, WINDOW);
  }

  // --- a. rapid reset ---------------------------------------------------------------------------

  /**
   * HEADERS then RST_STREAM(CANCEL) at once, {@value #MAX_RESETS} times: still served (a PING is
   * answered, no GOAWAY); one more: GOAWAY(ENHANCE_YOUR_CALM) and the connection ends. A new
   * connection is served normally; Netty's DEBUG line names 20 resets within 30 seconds. Breaks if
   * {@code decoderEnforceMaxRstFramesPerWindow} is dropped or not fed {@code max-resets-per-window}
   * (Netty's default of 200: no GOAWAY after the 21st reset, the read times out) or the window.
   */
  @Test
  void rapidReset_overTheLimit_goAwayEnhanceYourCalm_thenANewConnectionIsServed() throws Exception {
    try (RawH2Client client = connect()) {
      client.preface(Map.of());
      int stream = 1;
      for (int i = 0; i < MAX_RESETS; i++, stream += 2) {
        client.get(stream, "/blobs/1KiB/rapid-reset").rstStream(stream, RawH2Client.CANCEL);
      }
      client.ping(42).flush();
      List<Frame> upToPong = readUntil(client, f -> f.type() == PING && f.has(RawH2Client.ACK));
      assertThat(upToPong).noneMatch(f -> f.type() == GOAWAY);

      client.get(stream, "/blobs/1KiB/rapid-reset").rstStream(stream, RawH2Client.CANCEL).flush();
      Frame goAway = last(readUntil(client, f -> f.type() == GOAWAY));
      assertThat(goAway.errorCode()).isEqualTo(RawH2Client.ENHANCE_YOUR_CALM);
      assertThat(goAway.debugData()).isEqualTo("Maximum number of RST frames reached");
      assertThat(goAway.lastStreamId()).isEqualTo(Integer.MAX_VALUE); // Netty's on a hard shutdown
      assertThat(client.read()).as("end of the connection after GOAWAY").isNull();
    }
    assertThat(LIMIT_LOG.lines()).anyMatch(line -> line.contains(
        "Maximum number " + MAX_RESETS + " of RST frames reached within 30 seconds, closing connection with"
            + " ENHANCE_YOUR_CALM error"));

    Exchange after = fetch("/blobs/1KiB/after-rapid-reset");
    assertThat(after.status).isEqualTo(200);
    assertThat(after.sha256()).isEqualTo(ExpectedContent.sha256("/blobs/1KiB/after-rapid-reset", 1024));
  }

  // --- the client's GOAWAY ----------------------------------------------------------------------

  /**
   * A client sends GOAWAY right after its request and keeps the socket open: its stream is served
   * whole, then the gateway ends the connection (GOAWAY, close_notify, close), as nginx does.
   * Breaks if the client's GOAWAY is ignored: the connection stays open and the read times out.
   */
  @Test
  void clientGoAway_streamFinishes_thenTheGatewayCloses() throws Exception {
    String path = "/blobs/1MiB/client-goaway";
    try (RawH2Client client = connect()) {
      Exchanges x = new Exchanges(client);
      client.preface(window64k());
      client.get(1, path);
      x.openStreams.add(1);
      client.frame(GOAWAY, 0, 0, new byte[] {0, 0, 0, 0, 0, 0, 0, 0}).flush(); // last stream 0, NO_ERROR

      x.pumpUntil(() -> x.stream(1).ended);
      assertThat(x.stream(1).status).isEqualTo(200);
      assertThat(x.stream(1).sha256()).isEqualTo(ExpectedContent.sha256(path, 1 << 20));
      Frame f;
      while ((f = client.read()) != null) { // until the gateway closes (a read timeout fails the test)
        assertThat(f.type()).as("after the stream: only control frames").isNotIn(HEADERS, DATA);
      }
    }
  }

  // --- b. a stalled stream does not stall its siblings -------------------------------------------

  /**
   * Hit: stream 1 asks for a cached 8 MiB object and never opens its window; stream 3, on the same
   * connection, gets all of a 4 MiB object. Stream 1 got at most its 64 KiB window meanwhile, then
   * all of it once its window opens. Breaks if a stream's writes wait for the connection rather
   * than its own window (stream 3 never completes: read timeout), or if flow control is not
   * honoured (stream 1 over 64 KiB).
   */
  @Test
  void stalledStream_hit_doesNotStallItsSibling() throws Exception {
    String stalled = "/blobs/8MiB/stalled-hit";
    assertThat(fetch(stalled).status).isEqualTo(200); // now a hit
    stalledThenSibling(stalled, 8 << 20, "/blobs/4MiB/sibling-of-hit", 4 << 20);
  }

  /** As {@link #stalledStream_hit_doesNotStallItsSibling}, the stalled object being a miss. */
  @Test
  void stalledStream_miss_doesNotStallItsSibling() throws Exception {
    stalledThenSibling("/blobs/8MiB/stalled-miss", 8 << 20, "/blobs/4MiB/sibling-of-miss", 4 << 20);
  }

  private static void stalledThenSibling(String stalledPath, long stalledSize, String siblingPath, long siblingSize)
      throws Exception {
    try (RawH2Client client = connect()) {
      Exchanges x = new Exchanges(client);
      client.preface(window64k()).get(1, stalledPath).get(3, siblingPath).flush();
      x.openStreams.add(3); // stream 1: connection-level WINDOW_UPDATEs only

      x.pumpUntil(() -> x.stream(3).ended);

      Exchange sibling = x.stream(3);
      assertThat(sibling.status).isEqualTo(200);
      assertThat(sibling.bytes).isEqualTo(siblingSize);
      assertThat(sibling.sha256()).isEqualTo(ExpectedContent.sha256(siblingPath, siblingSize));
      Exchange stuck = x.stream(1);
      assertThat(stuck.ended).isFalse();
      assertThat(stuck.bytes).as("DATA on the stalled stream").isLessThanOrEqualTo(WINDOW);

      client.windowUpdate(1, (int) stalledSize).flush();
      x.pumpUntil(() -> x.stream(1).ended);

      assertThat(stuck.status).isEqualTo(200);
      assertThat(stuck.bytes).isEqualTo(stalledSize);
      assertThat(stuck.sha256()).isEqualTo(ExpectedContent.sha256(stalledPath, stalledSize));
      assertThat(x.goAway).isNull();
    }
  }

  // --- c. max concurrent streams -----------------------------------------------------------------

  /**
   * SETTINGS_MAX_CONCURRENT_STREAMS=4 is advertised; with 4 streams open (stalled), a 5th gets
   * RST_STREAM(REFUSED_STREAM) and the connection stays; once one of the 4 is reset, a new stream
   * is served. Breaks if {@code max-concurrent-streams} is not applied (the 5th is served or
   * advertised 128).
   */
  @Test
  void fifthConcurrentStream_refused_thenAcceptedOnceOneCloses() throws Exception {
    String big = "/blobs/1MiB/concurrent"; // larger than a window: its streams stay open
    try (RawH2Client client = connect()) {
      Exchanges x = new Exchanges(client);
      client.preface(window64k());
      for (int stream = 1; stream <= 2 * MAX_STREAMS - 1; stream += 2) {
        client.get(stream, big);
      }
      client.get(9, "/blobs/1KiB/fifth").flush();

      x.pumpUntil(() -> x.stream(9).reset != null);

      assertThat(x.serverSettings).containsEntry(RawH2Client.SETTINGS_MAX_CONCURRENT_STREAMS, (long) MAX_STREAMS);
      assertThat(x.stream(9).reset).isEqualTo(RawH2Client.REFUSED_STREAM);
      assertThat(x.stream(9).status).as("no response on the refused stream").isZero();

      client.rstStream(1, RawH2Client.CANCEL).flush();
      // REFUSED_STREAM is a "try again" (RFC 9113 8.7): a stream opened right behind the reset may
      // still be refused while the server finishes closing the reset one, so a client retries.
      int next = 11;
      for (int attempt = 0; attempt < 5; attempt++, next += 2) {
        int stream = next;
        client.get(stream, "/blobs/1KiB/fifth").flush();
        x.openStreams.add(stream);
        x.pumpUntil(() -> x.stream(stream).ended || x.stream(stream).reset != null);
        if (!Integer.valueOf(RawH2Client.REFUSED_STREAM).equals(x.stream(stream).reset)) {
          break;
        }
      }
      int served = next;

      assertThat(x.stream(served).status).as("stream %d, reset %s", served, x.stream(served).reset).isEqualTo(200);
      assertThat(x.stream(served).sha256()).isEqualTo(ExpectedContent.sha256("/blobs/1KiB/fifth", 1024));
      for (int stream = 3; stream <= 7; stream += 2) {
        assertThat(x.stream(stream).status).isEqualTo(200);
        assertThat(x.stream(stream).ended).isFalse();
      }
      assertThat(x.goAway).isNull();
    }
  }

  // --- d. header list too large, CONTINUATION flood ----------------------------------------------

  /**
   * A header list a little over the 16 KiB limit (HEADERS + CONTINUATION, 17 KiB): that stream
   * gets a 431 and the connection goes on. Breaks if {@code max-header-list-size} is not applied
   * (a 200, the stream served).
   */
  @Test
  void headerListOverTheLimit_431_connectionGoesOn() throws Exception {
    try (RawH2Client client = connect()) {
      Exchanges x = new Exchanges(client);
      client.preface(Map.of());
      byte[] block = client.requestBlock("/blobs/1KiB/big-headers", Map.of("x-pad", "a".repeat(17 * 1024)));
      assertThat(block.length).isBetween(HEADER_LIST_LIMIT, HEADER_LIST_LIMIT * 5 / 4);
      sendBlock(client, 1, block, block.length);
      client.get(3, "/blobs/1KiB/after-big-headers").flush();
      x.openStreams.add(3);

      x.pumpUntil(() -> x.stream(3).ended);

      assertThat(x.stream(1).status).isEqualTo(431);
      assertThat(x.stream(1).frames).as("stream 1").containsExactly("HEADERS+END_STREAM", "RST_STREAM 0x1");
      assertThat(x.stream(3).status).isEqualTo(200);
      assertThat(x.goAway).isNull();
    }
  }

  /**
   * A header block of 64 KiB (HEADERS without END_HEADERS, CONTINUATION frames): GOAWAY and the
   * end of the connection, well before the block ends. Breaks if the header block were buffered to
   * its end (no GOAWAY: the read times out).
   */
  @Test
  void continuationOf64KiB_goAway() throws Exception {
    try (RawH2Client client = connect()) {
      client.preface(Map.of());
      byte[] block = client.requestBlock("/blobs/1KiB/continuation", Map.of("x-pad", "a".repeat(64 * 1024)));
      sendBlock(client, 1, block, 64 * 1024); // no END_HEADERS
      client.flush();

      Frame goAway = last(readUntil(client, f -> f.type() == GOAWAY));
      assertThat(goAway.errorCode()).isEqualTo(RawH2Client.PROTOCOL_ERROR);
      assertThat(goAway.debugData()).contains("Header size exceeded max allowed size (20480)");
      assertThat(goAway.lastStreamId()).isEqualTo(Integer.MAX_VALUE);
      assertThat(client.read()).as("end of the connection after GOAWAY").isNull();
    }
  }

  /**
   * A CONTINUATION flood: 1 MiB of header block fragments written, or as much as the gateway takes
   * before it closes. The connection must end (GOAWAY, end of stream, or reset), not sit buffering.
   * Breaks if fragments were buffered without limit: all of it is written and the read times out.
   */
  @Test
  void continuationFlood_connectionClosed() throws Exception {
    try (RawH2Client client = connect()) {
      client.preface(Map.of());
      byte[] fragment = new byte[MAX_FRAME_SIZE];
      Arrays.fill(fragment, (byte) 'a');
      long written = 0;
      IOException writeFailure = null;
      try {
        client.headers(1, END_STREAM, client.requestBlock("/blobs/1KiB/flood", Map.of()));
        for (; written < (1 << 20); written += fragment.length) {
          client.continuation(1, fragment, false).flush();
        }
      } catch (IOException e) {
        writeFailure = e; // the gateway closed the connection under our writes
      }

      String end = writeFailure != null ? "write failed: " + writeFailure : readToEnd(client);
      System.out.printf("CONTINUATION flood: %d bytes written, then %s%n", written, end);
      assertThat(end).as("after %d bytes of CONTINUATION", written)
          .matches("write failed: .*|GOAWAY error=0x1.*|EOF|reset: .*");
    }
  }

  // --- e. PING flood without reading -------------------------------------------------------------

  /**
   * A client that reads nothing floods PINGs. First it asks for a cached 8 MiB object with every
   * window wide open, so the gateway's socket and outbound buffer fill with DATA at once (its
   * responder stops at the connection's 2 MiB high water mark); the PING acks then queue behind,
   * and at {@value #MAX_CONTROL_FRAMES} queued the gateway gives up: GOAWAY(ENHANCE_YOUR_CALM) is
   * queued, the connection closed (after the TLS close_notify flush timeout, the client reading
   * nothing). PINGs are written until a write fails; then what is left to read must end with EOF or
   * a reset. Without the fill, the acks would have to fill the kernel buffers first (4 MiB on
   * Linux: some 400,000 PINGs, 15 s). Netty's INFO line must name the configured 100. Breaks if
   * {@code max-queued-control-frames} is not applied (Netty's default, 10,000, is named) or the limit
   * is off (every ack is queued in memory, all {@code maxPings} writes succeed, and reading all
   * there is ends in the read timeout).
   */
  @Test
  void pingFlood_clientNotReading_connectionClosed() throws Exception {
    String fill = "/blobs/8MiB/ping-flood-fill";
    assertThat(fetch(fill).status).isEqualTo(200); // a hit from now on: written at memory speed
    int maxPings = 1_000_000;
    long t0 = System.nanoTime();
    try (RawH2Client client = RawH2Client.connect(tls, gateway.tlsPort(), 15_000, 8 * 1024)) {
      client.preface(Map.of(RawH2Client.SETTINGS_INITIAL_WINDOW_SIZE, Integer.MAX_VALUE)).settingsAck()
          .windowUpdate(0, Integer.MAX_VALUE - 65_535).get(1, fill).flush();
      int sent = 0;
      IOException writeFailure = null;
      try {
        while (sent < maxPings) {
          for (int i = 0; i < 1000; i++, sent++) {
            client.ping(sent);
          }
          client.flush();
        }
      } catch (IOException e) {
        writeFailure = e; // the gateway closed the connection under our writes
      }
      int[] acks = {0};
      String end = readToEnd(client, f -> acks[0] += f.type() == PING && f.has(RawH2Client.ACK) ? 1 : 0);
      System.out.printf("PING flood: %d PINGs written in %d ms (write failure: %s), then %d acks read, then %s%n",
          sent, (System.nanoTime() - t0) / 1_000_000, writeFailure, acks[0], end);
      assertThat(writeFailure != null ? "write failed" : end).matches("write failed|GOAWAY error=0xb.*|EOF|reset: .*");
      assertThat(acks[0]).isLessThan(sent);
    }
    assertThat(LIMIT_LOG.lines()).anyMatch(line -> line.contains(
        "Maximum number " + MAX_CONTROL_FRAMES + " of outstanding control frames reached, closing channel."));
  }

  // --- helpers -----------------------------------------------------------------------------------

  /**
   * Sends the first {@code length} bytes of {@code block} (padded with 'a' if longer) as a HEADERS
   * frame with END_STREAM then CONTINUATION frames, END_HEADERS on the last only if the whole block
   * is sent.
   */
  private static void sendBlock(RawH2Client client, int stream, byte[] block, int length) throws IOException {
    boolean whole = length == block.length;
    for (int from = 0; from < length; from += MAX_FRAME_SIZE) {
      byte[] fragment = Arrays.copyOfRange(block, from, Math.min(length, from + MAX_FRAME_SIZE));
      boolean last = whole && from + MAX_FRAME_SIZE >= length;
      if (from == 0) {
        client.headers(stream, END_STREAM | (last ? END_HEADERS : 0), fragment);
      } else {
        client.continuation(stream, fragment, last);
      }
    }
  }

  /** Reads frames until one matches {@code last}; returns all read, {@code last} at the end. */
  private static List<Frame> readUntil(RawH2Client client, java.util.function.Predicate<Frame> last)
      throws IOException {
    List<Frame> frames = new ArrayList<>();
    while (true) {
      Frame f = client.read();
      if (f == null) {
        fail("connection ended before the expected frame; read: " + frames);
      }
      frames.add(f);
      if (last.test(f)) {
        return frames;
      }
    }
  }

  private static Frame last(List<Frame> frames) {
    return frames.get(frames.size() - 1);
  }

  private static String readToEnd(RawH2Client client) throws IOException {
    return readToEnd(client, f -> { });
  }

  /**
   * Reads until the connection ends: "GOAWAY error=0x.." (then EOF or a reset), "EOF", or
   * "reset: ..."; a read timeout fails the test.
   */
  private static String readToEnd(RawH2Client client, java.util.function.Consumer<Frame> seen) throws IOException {
    String goAway = null;
    while (true) {
      Frame f;
      try {
        f = client.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection is still open, silent, after the read timeout", e);
      } catch (IOException e) {
        return goAway != null ? goAway : "reset: " + e;
      }
      if (f == null) {
        return goAway != null ? goAway : "EOF";
      }
      seen.accept(f);
      if (f.type() == GOAWAY && goAway == null) {
        goAway = "GOAWAY error=0x" + Integer.toHexString(f.errorCode()) + " " + f.debugData();
      }
    }
  }

  /** A GET of {@code path} on a new connection, every window opened as DATA arrives. */
  private static Exchange fetch(String path) throws IOException {
    try (RawH2Client client = connect()) {
      Exchanges x = new Exchanges(client);
      client.preface(window64k()).get(1, path).flush();
      x.openStreams.add(1);
      x.pumpUntil(() -> x.stream(1).ended);
      return x.stream(1);
    }
  }

  /**
   * Records the lines of the two Netty loggers that name an enforced HTTP/2 limit with its value
   * ({@code Http2MaxRstFrameListener} at DEBUG, {@code Http2ControlFrameLimitEncoder} at INFO;
   * {@code io.netty} is at WARN in the tests), so a test can tell the configured limit from Netty's default (10,000
   * control frames, 200 resets per 30 s).
   */
  private static final class NettyLimitLog extends AppenderBase<ILoggingEvent> {
    private static final List<String> NAMES = List.of(
        "io.netty.handler.codec.http2.Http2MaxRstFrameListener",
        "io.netty.handler.codec.http2.Http2ControlFrameLimitEncoder");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    void attach() {
      setContext((LoggerContext) LoggerFactory.getILoggerFactory());
      start();
      for (String name : NAMES) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        logger.addAppender(this);
      }
    }

    void detach() {
      for (String name : NAMES) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        logger.detachAppender(this);
        logger.setAdditive(true);
        logger.setLevel(null);
      }
      stop();
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getFormattedMessage());
    }
  }

  /** What one stream received. */
  private static final class Exchange {
    int status;
    long bytes;
    boolean ended;
    Integer reset;
    final List<String> frames = new ArrayList<>();
    final MessageDigest digest;

    Exchange() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    String sha256() throws Exception {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    }
  }

  /**
   * The streams of one connection and the client's flow-control policy: every DATA frame is
   * answered with a connection-level WINDOW_UPDATE of its length, and with a stream-level one only
   * if its stream is in {@link #openStreams}. The server's SETTINGS are acknowledged.
   */
  private static final class Exchanges {
    final RawH2Client client;
    final Map<Integer, Exchange> streams = new HashMap<>();
    final Set<Integer> openStreams = new HashSet<>();
    final Map<Integer, Long> serverSettings = new LinkedHashMap<>();
    Frame goAway;

    Exchanges(RawH2Client client) {
      this.client = client;
    }

    Exchange stream(int id) {
      return streams.computeIfAbsent(id, k -> new Exchange());
    }

    /** Reads and handles frames until {@code done}; the connection ending first fails the test. */
    void pumpUntil(BooleanSupplier done) throws IOException {
      while (!done.getAsBoolean()) {
        Frame f = client.read();
        if (f == null) {
          fail("connection ended; GOAWAY: " + goAway + ", streams: " + streams.keySet());
        }
        handle(f);
      }
    }

    private void handle(Frame f) throws IOException {
      switch (f.type()) {
        case SETTINGS -> {
          if (!f.has(RawH2Client.ACK)) {
            serverSettings.putAll(f.settings());
            client.settingsAck().flush();
          }
        }
        case HEADERS -> {
          Exchange e = stream(f.streamId());
          if (e.status == 0) {
            e.status = f.status();
          }
          e.frames.add(f.has(END_STREAM) ? "HEADERS+END_STREAM" : "HEADERS");
          e.ended |= f.has(END_STREAM);
        }
        case DATA -> {
          Exchange e = stream(f.streamId());
          e.bytes += f.payload().length;
          e.digest.update(f.payload());
          e.ended |= f.has(END_STREAM);
          if (f.payload().length > 0) {
            client.windowUpdate(0, f.payload().length);
            if (openStreams.contains(f.streamId()) && !f.has(END_STREAM)) {
              client.windowUpdate(f.streamId(), f.payload().length);
            }
            client.flush();
          }
        }
        case RST_STREAM -> {
          stream(f.streamId()).reset = f.errorCode();
          stream(f.streamId()).frames.add("RST_STREAM 0x" + Integer.toHexString(f.errorCode()));
        }
        case GOAWAY -> goAway = f;
        default -> {
          // PING acks, WINDOW_UPDATEs: nothing to do
        }
      }
    }
  }
}
