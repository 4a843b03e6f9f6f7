package fr.acclermont.gateway.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the {@link Slice} tests share: slices of {@link #LENGTH} bytes under {@link #KEY}, whose byte
 * {@code i} is written as {@code (byte) i}, so a read can be checked against its offsets. Every
 * buffer comes from a {@link TrackingAllocator} and must be released when a test ends.
 */
abstract class SliceFixture {

  static final SliceKey KEY = new SliceKey(new CacheKey("cloud", "/a.bin"), 7, 0);
  static final int LENGTH = 100;

  final TrackingAllocator alloc = new TrackingAllocator();
  final List<Slice> slices = new ArrayList<>();

  @AfterEach
  void releaseAndCheck() {
    for (Slice slice : slices) {
      if (slice.refCnt() > 0) {
        slice.release(slice.refCnt());
      }
    }
    alloc.assertAllReleased();
  }

  Slice slice(int length) {
    Slice slice = new Slice(KEY, alloc.directBuffer(length, length));
    slices.add(slice);
    return slice;
  }

  /** Writes bytes {@code [from, to)}, byte {@code i} holding {@code (byte) i}. */
  static void write(Slice slice, int from, int to) {
    byte[] bytes = bytes(from, to);
    ByteBuf data = Unpooled.wrappedBuffer(bytes);
    try {
      slice.write(from, data, 0, bytes.length);
    } finally {
      data.release();
    }
  }

  /** Bytes {@code [from, to)} as the tests write them: byte {@code i} holds {@code (byte) i}. */
  static byte[] bytes(int from, int to) {
    byte[] bytes = new byte[to - from];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (from + i);
    }
    return bytes;
  }

  /** The present runs as {@code from-to}, found by walking the slice with {@link Slice#presentUntil}. */
  static List<String> runs(Slice slice) {
    List<String> runs = new ArrayList<>();
    int offset = 0;
    while (offset < slice.length()) {
      int until = slice.presentUntil(offset);
      if (until > offset) {
        runs.add(offset + "-" + until);
        offset = until;
      } else {
        offset++;
      }
    }
    return runs;
  }
}
