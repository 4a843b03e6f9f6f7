package fr.acclermont.gateway.demo;

import io.netty.buffer.ByteBuf;

/**
 * Random-access bytes of one resource. Implementations are immutable and thread-safe: one source
 * serves every connection that reads the resource.
 */
@FunctionalInterface
interface ContentSource {

  /**
   * Writes bytes {@code [offset, offset + length)} of the resource at the writer index of
   * {@code target}. The caller guarantees the range lies within the resource.
   */
  void fill(ByteBuf target, long offset, int length);

  /** A source over a small in-memory document (pages and manifests, a few dozen KiB). */
  static ContentSource of(byte[] bytes) {
    return (target, offset, length) -> target.writeBytes(bytes, (int) offset, length);
  }
}
