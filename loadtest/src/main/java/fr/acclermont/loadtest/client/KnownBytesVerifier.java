package fr.acclermont.loadtest.client;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Verifies a small body against bytes read before the run, e.g. a book's manifest, which every
 * student must receive identical to the copy the run was planned from.
 *
 * <p>Immutable and thread-safe.
 */
public final class KnownBytesVerifier implements BodyVerifier {

  private final byte[] expected;

  /** Creates a verifier of a body that must equal {@code expected} (copied). */
  public KnownBytesVerifier(byte[] expected) {
    this.expected = expected.clone();
  }

  @Override
  public boolean matches(ByteBuf piece, long offset) {
    int length = piece.readableBytes();
    if (offset < 0 || offset + length > expected.length) {
      return false;
    }
    byte[] actual = new byte[length];
    piece.getBytes(piece.readerIndex(), actual);
    return Arrays.equals(actual, 0, length, expected, (int) offset, (int) offset + length);
  }

  @Override
  public String toString() {
    return "KnownBytesVerifier{" + expected.length + " bytes}";
  }
}
