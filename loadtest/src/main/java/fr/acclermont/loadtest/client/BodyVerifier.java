package fr.acclermont.loadtest.client;

import io.netty.buffer.ByteBuf;

/**
 * Checks the bytes of a body against the content it must have, piece by piece as they stream.
 *
 * <p>Implementations are immutable and thread-safe: one verifier serves every student that
 * fetches the same resource, on any event loop.
 */
public interface BodyVerifier {

  /**
   * Returns whether the readable bytes of {@code piece} are the resource's bytes starting at
   * {@code offset} (an offset in the whole resource, not in the body). Leaves {@code piece}'s
   * indices and reference count unchanged.
   */
  boolean matches(ByteBuf piece, long offset);
}
