package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of any synthetic resource, computable at any offset.
 *
 * <p>Byte {@code i} of a resource is byte {@code i % 8} (little-endian) of
 * {@code splitmix64(key + (i / 8 + 1) * GOLDEN_GAMMA)}, where the key mixes a 64-bit FNV-1a hash
 * of the name with the seed. This counter-based construction makes every range cost O(length)
 * whatever its offset, so a 2 GiB object can be served, or verified, from its middle.
 *
 * <p>Thread-safe: stateless but for a per-thread scratch array.
 */
public final class SyntheticContent {

  /** The largest piece generated at once; also the scratch array's size. */
  static final int PIECE_BYTES = 64 * 1024;

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long FNV_OFFSET_BASIS = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /**
   * Bytes are generated in a plain array and copied with one {@code writeBytes}: per-byte or
   * per-long ByteBuf calls cost a stack trace each under paranoid leak detection.
   */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[PIECE_BYTES]);

  private SyntheticContent() {}

  /**
   * Writes {@code length} bytes of the resource {@code name}, starting at {@code offset}, at the
   * writer index of {@code target}.
   *
   * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
   */
  public static void fill(ByteBuf target, String name, long offset, int length, long seed) {
    requireNonNull(target, "target");
    long key = key(name, seed);
    checkRange(offset, length);
    byte[] scratch = scratch();
    for (int done = 0; done < length; ) {
      int piece = Math.min(PIECE_BYTES, length - done);
      fill(scratch, 0, key, offset + done, piece);
      target.writeBytes(scratch, 0, piece);
      done += piece;
    }
  }

  /**
   * Returns {@code length} bytes of the resource {@code name}, starting at {@code offset}.
   *
   * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
   */
  public static byte[] bytes(String name, long offset, int length, long seed) {
    long key = key(name, seed);
    checkRange(offset, length);
    byte[] bytes = new byte[length];
    fill(bytes, 0, key, offset, length);
    return bytes;
  }

  /** The per-resource key; computing it once lets streams skip hashing the name per chunk. */
  static long key(String name, long seed) {
    requireNonNull(name, "name");
    long hash = FNV_OFFSET_BASIS;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xFF)) * FNV_PRIME;
    }
    return mix(hash ^ mix(seed));
  }

  /** Writes bytes {@code [offset, offset + length)} of the resource {@code key} into {@code target}. */
  static void fill(byte[] target, int index, long key, long offset, int length) {
    long position = offset;
    long end = offset + length;
    int at = index;
    // Unaligned head, then whole words, then the unaligned tail.
    while (position < end && (position & 7) != 0) {
      target[at++] = byteAt(key, position++);
    }
    while (end - position >= Long.BYTES) {
      LONG_LE.set(target, at, word(key, position >>> 3));
      at += Long.BYTES;
      position += Long.BYTES;
    }
    while (position < end) {
      target[at++] = byteAt(key, position++);
    }
  }

  /** This thread's scratch array of {@link #PIECE_BYTES}; valid until the caller returns. */
  static byte[] scratch() {
    return SCRATCH.get();
  }

  /** A well-mixed 64-bit value of {@code value}; also used to derive validators and dates. */
  static long mix(long value) {
    long z = value;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void checkRange(long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "offset: " + offset + ", length: " + length + " (expected: >= 0)");
    }
  }

  private static long word(long key, long index) {
    return mix(key + (index + 1) * GOLDEN_GAMMA);
  }

  private static byte byteAt(long key, long position) {
    return (byte) (word(key, position >>> 3) >>> ((position & 7) * 8));
  }
}
