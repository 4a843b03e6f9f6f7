package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.demo.DemoContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a demo-origin PDF, video or blob byte for byte against {@link DemoContent} of its path
 * and the catalog's seed (signatures included), at any offset, in O(length).
 *
 * <p>Immutable and thread-safe; comparisons use per-thread scratch arrays.
 */
public final class SyntheticContentVerifier implements BodyVerifier {

  private static final int PIECE_BYTES = 64 * 1024;
  /**
   * Resources up to this size (book assets) have their expected bytes made once and kept: a class
   * of 35 receives each asset 35 times, and generating it anew for every response made the load
   * tool, sharing the machine's cores with the gateway it measures, twice as busy.
   */
  private static final long KEPT_BYTES = 1 << 20;
  private static final ThreadLocal<byte[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[PIECE_BYTES], new byte[PIECE_BYTES]});

  private final String path;
  private final long size;
  private final long seed;
  private final DemoContent content;
  /** The whole expected body of a small resource, made on first use (a benign race: same bytes). */
  private volatile byte @Nullable [] kept;

  /**
   * Creates a verifier of the resource at {@code path} (no query string: the content derives
   * from the path alone).
   *
   * @param size the resource's whole length, which locates its trailing signature
   * @param seed the catalog's seed
   */
  public SyntheticContentVerifier(String path, long size, long seed) {
    this.path = requireNonNull(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    this.size = size;
    this.seed = seed;
    this.content = DemoContent.of(seed);
  }

  @Override
  public boolean matches(ByteBuf piece, long offset) {
    int length = piece.readableBytes();
    if (offset < 0 || offset + length > size) {
      return false;
    }
    byte[][] scratch = SCRATCH.get();
    byte[] actual = scratch[0];
    if (size <= KEPT_BYTES) {
      return matchesKept(piece, (int) offset, actual);
    }
    byte[] expected = scratch[1];
    for (int done = 0; done < length; ) {
      int n = Math.min(PIECE_BYTES, length - done);
      long at = offset + done;
      // One bulk copy out of the ByteBuf: under paranoid leak detection every accessor call on a
      // pooled buffer records a stack trace, so byte-wise comparison would crawl.
      piece.getBytes(piece.readerIndex() + done, actual, 0, n);
      if (!content.fill(Unpooled.wrappedBuffer(expected).clear(), path, at, n)
          || !Arrays.equals(actual, 0, n, expected, 0, n)) {
        return false;
      }
      done += n;
    }
    return true;
  }

  private boolean matchesKept(ByteBuf piece, int offset, byte[] actual) {
    byte[] expected = kept;
    if (expected == null) {
      expected = new byte[(int) size];
      if (!content.fill(Unpooled.wrappedBuffer(expected).clear(), path, 0, (int) size)) {
        return false;
      }
      kept = expected;
    }
    int length = piece.readableBytes();
    for (int done = 0; done < length; ) {
      int n = Math.min(PIECE_BYTES, length - done);
      piece.getBytes(piece.readerIndex() + done, actual, 0, n);
      if (!Arrays.equals(actual, 0, n, expected, offset + done, offset + done + n)) {
        return false;
      }
      done += n;
    }
    return true;
  }

  @Override
  public String toString() {
    return "SyntheticContentVerifier{" + path + ", size=" + size + ", seed=" + seed + "}";
  }
}
