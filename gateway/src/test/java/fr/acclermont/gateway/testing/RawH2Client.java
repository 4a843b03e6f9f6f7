package fr.acclermont.gateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A test-only HTTP/2 client that writes and reads raw frames (RFC 9113) over a JDK {@link SSLSocket}
 * negotiating {@code h2} through ALPN, so a test can behave as no well-mannered client would:
 * reset streams at once, never open a stream's window, flood CONTINUATION or PING frames, stop
 * reading.
 *
 * <p>Writing: frames are built byte by byte and buffered until {@link #flush()}. Request headers
 * use a minimal HPACK encoding ({@link #requestBlock}): {@code :method GET} and {@code :scheme https}
 * from the static table, {@code :path}, {@code :authority} and any extra field as literals without
 * indexing and without Huffman coding, so the block is plain to read and its size is exact.
 *
 * <p>Reading: {@link #read()} returns the next frame, or null at the end of the stream. A response
 * HEADERS frame (with its CONTINUATION frames, merged) is HPACK-decoded in arrival order by
 * Netty's {@link DefaultHttp2HeadersDecoder} (the decoder's dynamic table follows the connection),
 * available as {@link Frame#headers()}.
 *
 * <p>Flow control is the caller's: nothing is acknowledged or opened automatically, not even
 * SETTINGS or PING. Whoever reads DATA decides which windows to open with {@link #windowUpdate}
 * (stream 0 for the connection). One thread at a time.
 */
public final class RawH2Client implements Closeable {

  /** The connection preface's fixed octets (RFC 9113 3.4). */
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int PING = 0x6;
  public static final int GOAWAY = 0x7;
  public static final int WINDOW_UPDATE = 0x8;
  public static final int CONTINUATION = 0x9;

  /** Flag of DATA and HEADERS. */
  public static final int END_STREAM = 0x1;
  /** Flag of SETTINGS and PING. */
  public static final int ACK = 0x1;
  /** Flag of HEADERS and CONTINUATION. */
  public static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY_FLAG = 0x20;

  public static final int NO_ERROR = 0x0;
  public static final int PROTOCOL_ERROR = 0x1;
  public static final int REFUSED_STREAM = 0x7;
  public static final int CANCEL = 0x8;
  public static final int ENHANCE_YOUR_CALM = 0xb;

  public static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
  public static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
  public static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
  public static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

  /** The default (and smallest) SETTINGS_MAX_FRAME_SIZE: the largest payload a peer must accept. */
  public static final int MAX_FRAME_SIZE = 16_384;

  private final SSLSocket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String authority;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  private RawH2Client(SSLSocket socket, String authority) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.authority = authority;
  }

  /**
   * Connects to 127.0.0.1:{@code port}, completes a TLS handshake offering only {@code h2}, and
   * checks that {@code h2} was selected. Reads time out after {@code readTimeoutMillis} (a failure
   * bound for the tests, not a pacing device). Nothing HTTP/2 is sent yet: see {@link #preface}.
   *
   * @param receiveBuffer the socket's SO_RCVBUF in bytes, or 0 for the system's (autotuned); a
   *     small one makes a client that does not read hold back the server quickly
   * @throws IOException if the connection or handshake fails, or the server did not select h2
   */
  public static RawH2Client connect(SSLContext tls, int port, int readTimeoutMillis, int receiveBuffer)
      throws IOException {
    SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer); // before connect: it sizes the TCP window
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), readTimeoutMillis);
      socket.setSoTimeout(readTimeoutMillis);
      socket.setTcpNoDelay(true);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      if (!"h2".equals(socket.getApplicationProtocol())) {
        throw new IOException("ALPN selected " + socket.getApplicationProtocol() + ", not h2");
      }
      return new RawH2Client(socket, "127.0.0.1:" + port);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** As {@link #connect(SSLContext, int, int, int)} with a 15 s read timeout and the system's receive buffer. */
  public static RawH2Client connect(SSLContext tls, int port) throws IOException {
    return connect(tls, port, 15_000, 0);
  }

  /**
   * Buffers the connection preface: the fixed octets, then a SETTINGS frame with
   * {@code settings} (identifier to value, in order; empty for all defaults).
   */
  public RawH2Client preface(Map<Integer, Integer> settings) throws IOException {
    out.write(PREFACE);
    return settings(settings);
  }

  /** Buffers a SETTINGS frame (no ACK flag) with {@code settings}, identifier to value. */
  public RawH2Client settings(Map<Integer, Integer> settings) throws IOException {
    ByteBuffer payload = ByteBuffer.allocate(6 * settings.size());
    settings.forEach((id, value) -> payload.putShort(id.shortValue()).putInt(value));
    return frame(SETTINGS, 0, 0, payload.array());
  }

  /** Buffers the acknowledgement of the peer's SETTINGS. */
  public RawH2Client settingsAck() throws IOException {
    return frame(SETTINGS, ACK, 0, new byte[0]);
  }

  /**
   * Buffers a GET of {@code path} on {@code streamId}: one HEADERS frame with END_HEADERS and
   * END_STREAM.
   */
  public RawH2Client get(int streamId, String path) throws IOException {
    return frame(HEADERS, END_HEADERS | END_STREAM, streamId, requestBlock(path, Map.of()));
  }

  /** Buffers a HEADERS frame carrying {@code fragment} with {@code flags} (END_STREAM, END_HEADERS). */
  public RawH2Client headers(int streamId, int flags, byte[] fragment) throws IOException {
    return frame(HEADERS, flags, streamId, fragment);
  }

  /** Buffers a CONTINUATION frame carrying {@code fragment}, with END_HEADERS if {@code last}. */
  public RawH2Client continuation(int streamId, byte[] fragment, boolean last) throws IOException {
    return frame(CONTINUATION, last ? END_HEADERS : 0, streamId, fragment);
  }

  /** Buffers an RST_STREAM of {@code streamId} with {@code errorCode} (e.g. {@link #CANCEL}). */
  public RawH2Client rstStream(int streamId, int errorCode) throws IOException {
    return frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
  }

  /** Buffers a PING (not an acknowledgement) carrying {@code data} as its 8 octets. */
  public RawH2Client ping(long data) throws IOException {
    return frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
  }

  /**
   * Buffers a WINDOW_UPDATE opening {@code streamId}'s window (0: the connection's) by
   * {@code increment} bytes, {@code 1..2^31-1}.
   */
  public RawH2Client windowUpdate(int streamId, int increment) throws IOException {
    return frame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
  }

  /**
   * Buffers one frame: the 9-octet header (24-bit length, type, flags, 31-bit stream identifier)
   * then {@code payload}.
   */
  public RawH2Client frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    int length = payload.length;
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(type);
    out.write(flags);
    out.write((streamId >>> 24) & 0x7f);
    out.write(streamId >>> 16);
    out.write(streamId >>> 8);
    out.write(streamId);
    out.write(payload);
    return this;
  }

  /** Sends what is buffered. */
  public void flush() throws IOException {
    out.flush();
  }

  /**
   * Reads the next frame; a HEADERS frame comes with its CONTINUATION frames merged and its fields
   * decoded. Blocks up to the read timeout.
   *
   * @return the frame, or null if the server closed the connection between two frames
   * @throws java.net.SocketTimeoutException if nothing arrives within the read timeout
   * @throws IOException if the connection breaks (a reset), or ends within a frame
   */
  public @Nullable Frame read() throws IOException {
    Frame frame = readRaw();
    if (frame == null || frame.type() != HEADERS) {
      return frame;
    }
    byte[] block = headerFragment(frame);
    int flags = frame.flags();
    while ((flags & END_HEADERS) == 0) {
      Frame next = readRaw();
      if (next == null || next.type() != CONTINUATION || next.streamId() != frame.streamId()) {
        throw new IOException("HEADERS of stream " + frame.streamId() + " not continued: " + next);
      }
      block = concat(block, next.payload());
      flags |= next.flags() & END_HEADERS;
    }
    ByteBuf buf = Unpooled.wrappedBuffer(block);
    try {
      Http2Headers fields = decoder.decodeHeaders(frame.streamId(), buf);
      return new Frame(HEADERS, flags, frame.streamId(), block, fields);
    } catch (Http2Exception e) {
      throw new IOException("undecodable header block on stream " + frame.streamId(), e);
    } finally {
      buf.release();
    }
  }

  private @Nullable Frame readRaw() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    byte[] header = new byte[8];
    in.readFully(header);
    int length = (first << 16) | ((header[0] & 0xff) << 8) | (header[1] & 0xff);
    int type = header[2] & 0xff;
    int flags = header[3] & 0xff;
    int streamId = ByteBuffer.wrap(header, 4, 4).getInt() & 0x7fff_ffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, flags, streamId, payload, null);
  }

  /** The header block fragment of a HEADERS frame: its payload without padding and priority. */
  private static byte[] headerFragment(Frame frame) throws IOException {
    int from = 0;
    int to = frame.payload().length;
    if ((frame.flags() & PADDED) != 0) {
      to -= frame.payload()[from++] & 0xff;
    }
    if ((frame.flags() & PRIORITY_FLAG) != 0) {
      from += 5;
    }
    if (from > to) {
      throw new EOFException("malformed HEADERS padding");
    }
    return Arrays.copyOfRange(frame.payload(), from, to);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /**
   * The HPACK block of a GET of {@code path} (RFC 7541): {@code :method GET} and {@code :scheme https}
   * indexed from the static table (0x82, 0x87), {@code :path} and {@code :authority} as literals
   * without indexing with an indexed name (static entries 4 and 1), then each of {@code extra} as a
   * literal without indexing with a literal name (lower-case names expected). No Huffman coding.
   */
  public byte[] requestBlock(String path, Map<String, String> extra) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x82);
    block.write(0x87);
    literal(block, 4, null, path);
    literal(block, 1, null, authority);
    extra.forEach((name, value) -> literal(block, 0, name, value));
    return block.toByteArray();
  }

  /** A literal field without indexing: name index {@code nameIndex}, or 0 and a literal {@code name}. */
  private static void literal(ByteArrayOutputStream block, int nameIndex, @Nullable String name, String value) {
    integer(block, 0x00, 4, nameIndex);
    if (name != null) {
      string(block, name);
    }
    string(block, value);
  }

  private static void string(ByteArrayOutputStream block, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    integer(block, 0x00, 7, bytes.length); // H = 0: no Huffman
    block.write(bytes, 0, bytes.length);
  }

  /** An HPACK integer with an {@code prefixBits}-bit prefix, OR-ed into {@code high} (RFC 7541 5.1). */
  private static void integer(ByteArrayOutputStream block, int high, int prefixBits, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      block.write(high | value);
      return;
    }
    block.write(high | max);
    value -= max;
    while (value >= 0x80) {
      block.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    block.write(value);
  }

  /** Closes the socket (no GOAWAY). */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * One frame as read.
   *
   * @param type the frame type ({@link #DATA}, {@link #HEADERS}...)
   * @param flags its flags
   * @param streamId its stream, 0 for the connection
   * @param payload its payload (for HEADERS: the merged header block)
   * @param headers the decoded fields of a HEADERS frame, else null
   */
  public record Frame(int type, int flags, int streamId, byte[] payload, @Nullable Http2Headers headers) {

    /** Whether {@code flag} is set. */
    public boolean has(int flag) {
      return (flags & flag) != 0;
    }

    /** The error code of an RST_STREAM or GOAWAY frame. */
    public int errorCode() {
      return switch (type) {
        case RST_STREAM -> ByteBuffer.wrap(payload).getInt();
        case GOAWAY -> ByteBuffer.wrap(payload, 4, 4).getInt();
        default -> throw new IllegalStateException("no error code in " + this);
      };
    }

    /** The last stream identifier of a GOAWAY frame. */
    public int lastStreamId() {
      return ByteBuffer.wrap(payload).getInt() & 0x7fff_ffff;
    }

    /** The debug data of a GOAWAY frame, as text. */
    public String debugData() {
      return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }

    /** The parameters of a SETTINGS frame, identifier to value, in order. */
    public Map<Integer, Long> settings() {
      Map<Integer, Long> settings = new LinkedHashMap<>();
      ByteBuffer buf = ByteBuffer.wrap(payload);
      while (buf.remaining() >= 6) {
        settings.put(buf.getShort() & 0xffff, buf.getInt() & 0xffff_ffffL);
      }
      return settings;
    }

    /** The {@code :status} of a decoded HEADERS frame. */
    public int status() {
      if (headers == null || headers.status() == null) {
        throw new IllegalStateException("no :status in " + this);
      }
      return Integer.parseInt(headers.status().toString());
    }

    @Override
    public String toString() {
      String detail = switch (type) {
        case RST_STREAM -> " error=0x" + Integer.toHexString(errorCode());
        case GOAWAY -> " last=" + lastStreamId() + " error=0x" + Integer.toHexString(errorCode())
            + " debug=\"" + debugData() + "\"";
        case SETTINGS -> " " + settings();
        case HEADERS -> " " + headers;
        default -> "";
      };
      return "Frame[type=0x" + Integer.toHexString(type) + " flags=0x" + Integer.toHexString(flags)
          + " stream=" + streamId + " length=" + payload.length + detail + "]";
    }
  }
}
