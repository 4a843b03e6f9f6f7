package fr.acclermont.gateway.cache;

/**
 * How a reader gets a slice's bytes, the cheapest way the tiers offer ({@link Storage#read}): the
 * {@link Slice} in memory (present bytes written as retained slices of its buffer, missing ones
 * waited for or fetched; the reader owns a reference and releases it), or, when memory has no copy
 * at all, the verified {@link SliceFile} on disk, sent with zero-copy (no memory copy is made for
 * it; nothing to release). The two forms are the types themselves, not wrappers: a read allocates
 * nothing on a hit.
 */
public sealed interface SliceRead permits Slice, SliceFile {

  /** What the connection of a reader can send ({@link Storage#read}). */
  public enum Sink {
    /** Buffers and files: a plain TCP connection, where a {@code FileRegion} goes out with zero-copy. */
    BUFFERS_AND_FILES,
    /** Buffers only: TLS or an HTTP/2 stream, which must see the bytes. */
    BUFFERS_ONLY
  }

  /** Whether a read counts as a use of the slice for W-TinyLFU ({@link Storage#read}). */
  public enum Use {
    /** A client's read of a stored slice: one use. */
    COUNTED,
    /** The read of the client whose fetch creates the slice: its creation was the use. */
    COUNTED_AT_CREATION
  }
}
