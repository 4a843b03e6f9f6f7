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
}
