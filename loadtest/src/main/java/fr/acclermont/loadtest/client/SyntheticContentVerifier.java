package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.demo.DemoContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Verifies a demo-origin PDF, video or blob byte for byte against {@link DemoContent} of its path
 * and the catalog's seed (signatures included), at any offset, in O(length).
 *
 * <p>Immutable and thread-safe; comparisons use per-thread scratch arrays.
 */
public final class SyntheticContentVerifier implements BodyVerifier {

  private static final int PIECE_BYTES = 64 * 1024;
  private static final ThreadLocal<byte[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[PIECE_BYTES], new byte[PIECE_BYTES]});

  private final String path;
  private final long size;
  private final long seed;
  private final DemoContent content;

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

  @Override
  public String toString() {
    return "SyntheticContentVerifier{" + path + ", size=" + size + ", seed=" + seed + "}";
  }
}
