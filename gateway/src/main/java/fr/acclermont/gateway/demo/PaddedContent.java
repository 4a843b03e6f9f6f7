package fr.acclermont.gateway.demo;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A resource made of a fixed head, a synthetic filler and a fixed tail, generated at any offset.
 *
 * <p>Text assets put their real markup in the head and close a comment (or a JSON string) in the
 * tail; the filler in between pads them to their exact listed size while staying valid text.
 * Binary files put a format signature in the head. The filler byte at absolute offset {@code i}
 * derives from {@link SyntheticContent} byte {@code i} of the path, so any range is O(length).
 */
final class PaddedContent implements ContentSource {

  /** What the filler between head and tail may contain. */
  enum Filler {
    /** Any byte. */
    BINARY(null),
    /** Letters, digits, spaces and newlines: safe inside CSS, JS, HTML and XML comments. */
    TEXT("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n"),
    /** As {@link #TEXT} without control characters, which a JSON string may not contain. */
    JSON_STRING("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789  ");

    private final byte[] alphabet;

    Filler(String alphabet) {
      // 64 symbols, so the low six bits of a synthetic byte pick one uniformly.
      this.alphabet = alphabet == null ? null : alphabet.getBytes(StandardCharsets.US_ASCII);
    }
  }

  private final long key;
  private final long size;
  private final byte[] head;
  private final byte[] tail;
  private final Filler filler;

  PaddedContent(String path, long seed, long size, byte[] head, byte[] tail, Filler filler) {
    if (head.length + tail.length > size) {
      throw new IllegalArgumentException(
          "size: " + size + " (expected: >= " + (head.length + tail.length) + " for " + path + ")");
    }
    this.key = SyntheticContent.key(path, seed);
    this.size = size;
    this.head = head.clone();
    this.tail = tail.clone();
    this.filler = filler;
  }

  @Override
  public void fill(ByteBuf target, long offset, int length) {
    byte[] scratch = SyntheticContent.scratch();
    for (int done = 0; done < length; ) {
      int piece = Math.min(scratch.length, length - done);
      fill(scratch, offset + done, piece);
      target.writeBytes(scratch, 0, piece);
      done += piece;
    }
  }

  private void fill(byte[] piece, long offset, int length) {
    SyntheticContent.fill(piece, 0, key, offset, length);
    if (filler.alphabet != null) {
      for (int i = 0; i < length; i++) {
        piece[i] = filler.alphabet[piece[i] & 63];
      }
    }
    overlay(piece, offset, length, head, 0);
    overlay(piece, offset, length, tail, size - tail.length);
  }

  /** Copies the part of {@code part} (placed at {@code partOffset}) that the range overlaps. */
  private static void overlay(byte[] piece, long offset, int length, byte[] part, long partOffset) {
    long from = Math.max(offset, partOffset);
    long to = Math.min(offset + length, partOffset + part.length);
    if (from < to) {
      System.arraycopy(part, (int) (from - partOffset), piece, (int) (from - offset), (int) (to - from));
    }
  }
}
