package fr.acclermont.gateway.cache;

/**
 * How a reader gets a slice's bytes, the cheapest way the tiers offer ({@link Storage#read}): a
 * view of the slice in memory (present bytes written as retained slices of its buffer, missing ones
 * waited for or fetched), or, when memory has no copy at all, the verified file on disk sent with
 * zero-copy (no memory copy is made for it).
 */
public sealed interface SliceRead permits SliceRead.InMemory, SliceRead.InFile {

  /** The slice in memory, with a reference the reader owns and releases. */
  record InMemory(Slice slice) implements SliceRead {
  }

  /** The slice's verified file: the whole slice is there; nothing to release. */
  record InFile(SliceFile file) implements SliceRead {
  }
}
