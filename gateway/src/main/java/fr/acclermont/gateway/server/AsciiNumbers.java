package fr.acclermont.gateway.server;

import io.netty.util.AsciiString;

/**
 * Decimal header values ({@code Content-Length}, {@code Age}) without a new string per response:
 * the values a gateway writes repeat (an object's length on every hit, an age for a second), so
 * each is rendered once into a small direct-mapped table and reused. A collision just renders
 * again. Thread-safe: entries are immutable and published through a plain array, which is safe
 * for immutable objects with final fields (a racing reader renders its own).
 */
final class AsciiNumbers {

  private static final int SLOTS = 4096;

  private record Entry(long value, AsciiString text) {
  }

  private static final Entry[] TABLE = new Entry[SLOTS];

  private AsciiNumbers() {
  }

  /** {@code value} in decimal. */
  static AsciiString of(long value) {
    int slot = (int) ((value ^ (value >>> 32)) & (SLOTS - 1));
    Entry entry = TABLE[slot];
    if (entry == null || entry.value() != value) {
      entry = new Entry(value, new AsciiString(Long.toString(value)));
      TABLE[slot] = entry;
    }
    return entry.text();
  }
}
