package fr.acclermont.loadtest.origin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Downloads over raw connections, all read by one NIO thread that counts every byte received
 * (headers included, as the uplink meters them) in {@value #BUCKET_MILLIS} ms buckets and per
 * connection. Small receive buffers keep the kernel from queueing much ahead of the reader, so
 * what is counted is close to what crossed the (shaped) link.
 */
final class RateProbe implements AutoCloseable {

  static final int BUCKET_MILLIS = 5;
  private static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(BUCKET_MILLIS);
  private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

  private final Selector selector;
  private final List<SocketChannel> channels;
  private final long startNanos;
  private final long endNanos;
  private final AtomicLongArray buckets;
  private final AtomicLongArray perConnection;
  private final Thread reader;
  private volatile boolean stopped;

  private RateProbe(Selector selector, List<SocketChannel> channels, Duration runFor) {
    this.selector = selector;
    this.channels = channels;
    this.startNanos = System.nanoTime();
    this.endNanos = startNanos + runFor.toNanos();
    this.buckets = new AtomicLongArray((int) (runFor.toNanos() / BUCKET_NANOS) + 1);
    this.perConnection = new AtomicLongArray(channels.size());
    this.reader = new Thread(this::readLoop, "rate-probe");
  }

  /** Connects one connection per path, sends each GET and reads for {@code runFor} (or until closed). */
  static RateProbe start(int port, List<String> paths, Duration runFor) throws IOException {
    Selector selector = Selector.open();
    List<SocketChannel> channels = new ArrayList<>();
    for (String path : paths) {
      SocketChannel channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
      channel.connect(new InetSocketAddress("127.0.0.1", port));
      channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: probe\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1)));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, channels.size());
      channels.add(channel);
    }
    RateProbe probe = new RateProbe(selector, channels, runFor);
    probe.reader.start();
    return probe;
  }

  /** Returns the bytes each connection has received so far. */
  long[] bytesPerConnection() {
    long[] bytes = new long[perConnection.length()];
    Arrays.setAll(bytes, perConnection::get);
    return bytes;
  }

  /** Waits for the end of the run. */
  void awaitEnd() throws InterruptedException {
    reader.join(TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()) + 10_000);
  }

  /** Returns the bytes received in each bucket from {@code from} to {@code to} after the start. */
  long[] buckets(Duration from, Duration to) {
    int first = (int) (from.toNanos() / BUCKET_NANOS);
    int last = (int) Math.min(buckets.length(), to.toNanos() / BUCKET_NANOS);
    long[] slice = new long[last - first];
    Arrays.setAll(slice, i -> buckets.get(first + i));
    return slice;
  }

  /** Returns the most bytes received in any run of {@code windowBuckets} consecutive buckets. */
  static long maxInAnyWindow(long[] buckets, int windowBuckets) {
    long sum = 0;
    long max = 0;
    for (int i = 0; i < buckets.length; i++) {
      sum += buckets[i];
      if (i >= windowBuckets) {
        sum -= buckets[i - windowBuckets];
      }
      max = Math.max(max, sum);
    }
    return max;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stopped = true;
    selector.wakeup();
    reader.join(10_000);
    for (SocketChannel channel : channels) {
      channel.close();
    }
    selector.close();
  }

  private void readLoop() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    try {
      while (!stopped) {
        long now = System.nanoTime();
        if (now >= endNanos) {
          return;
        }
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNanos - now)));
        for (SelectionKey key : selector.selectedKeys()) {
          int index = (Integer) key.attachment();
          SocketChannel channel = (SocketChannel) key.channel();
          buffer.clear();
          int n = channel.read(buffer);
          if (n < 0) {
            key.cancel();
          } else if (n > 0) {
            long at = System.nanoTime() - startNanos;
            buckets.addAndGet((int) Math.min(buckets.length() - 1, at / BUCKET_NANOS), n);
            perConnection.addAndGet(index, n);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
