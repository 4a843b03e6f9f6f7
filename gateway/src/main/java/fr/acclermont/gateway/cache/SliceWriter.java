package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Cuts a body into slices and stores them in the {@link MemoryTier} while it streams through, so
 * the data goes to the client and to the cache in parallel rather than store-then-serve.
 *
 * <p>Lifecycle: {@link #append} any number of times, then exactly one of {@link #commit} (publishes
 * the object if every byte arrived) or {@link #abort} (drops what was stored). Not thread-safe: used
 * from the origin channel's event loop only.
 */
public final class SliceWriter {

  /** Unknown-length bodies start small and grow, so a chunked 4 KiB asset doesn't pin a 1 MiB buffer. */
  private static final int UNKNOWN_LENGTH_INITIAL_CAPACITY = 64 * 1024;

  private final MemoryTier tier;
  private final ByteBufAllocator allocator;
  private final CacheKey key;
  private final long version;
  private final int sliceSize;
  private final long expectedLength;
  private @Nullable ByteBuf current;
  private int sealed;
  private long written;
  private boolean done;

  /**
   * Starts a fill.
   *
   * @param expectedLength the body length from {@code Content-Length}, or -1 when unknown
   */
  public SliceWriter(MemoryTier tier, ByteBufAllocator allocator, CacheKey key, int sliceSize, long expectedLength) {
    this.tier = requireNonNull(tier, "tier");
    this.allocator = requireNonNull(allocator, "allocator");
    this.key = requireNonNull(key, "key");
    this.version = tier.nextVersion();
    this.sliceSize = sliceSize;
    this.expectedLength = expectedLength;
  }

  /**
   * Copies the readable bytes of {@code data} (without consuming them) into the fill. Returns false,
   * having aborted the fill, when the body outgrows the tier's object limit.
   */
  public boolean append(ByteBuf data) {
    if (done) {
      return false;
    }
    int index = data.readerIndex();
    int remaining = data.readableBytes();
    if (written + remaining > tier.maxObjectBytes()
        || (expectedLength >= 0 && written + remaining > expectedLength)) {
      abort();
      return false;
    }
    while (remaining > 0) {
      ByteBuf slice = currentSlice();
      int n = Math.min(remaining, sliceSize - slice.writerIndex());
      slice.writeBytes(data, index, n);
      index += n;
      remaining -= n;
      written += n;
      if (slice.writerIndex() == sliceSize) {
        seal();
      }
    }
    return true;
  }

  private ByteBuf currentSlice() {
    if (current == null) {
      long left = expectedLength >= 0 ? expectedLength - written : -1;
      int capacity = left >= 0 ? (int) Math.min(sliceSize, left) : Math.min(sliceSize, UNKNOWN_LENGTH_INITIAL_CAPACITY);
      current = allocator.directBuffer(capacity, sliceSize);
    }
    return current;
  }

  private void seal() {
    ByteBuf slice = current;
    current = null;
    if (slice.capacity() > slice.writerIndex()) {
      slice.capacity(slice.writerIndex()); // trims the tail of an unknown-length body's last slice
    }
    tier.putSlice(new SliceKey(key, version, sealed++), slice);
  }

  /**
   * Publishes the object if the body is complete (its length matches {@code Content-Length} when
   * one was given). Returns whether it was stored.
   *
   * @param metadata builds the object's metadata from the version and final length
   */
  public boolean commit(MetadataFactory metadata) {
    if (done) {
      return false;
    }
    if (expectedLength >= 0 && written != expectedLength) {
      abort();
      return false;
    }
    if (current != null && current.isReadable()) {
      seal();
    }
    done = true;
    releaseCurrent();
    tier.putObject(metadata.create(version, written, sliceSize));
    return true;
  }

  /** Drops the fill: the slices stored so far are removed and nothing is published. Idempotent. */
  public void abort() {
    if (done) {
      return;
    }
    done = true;
    releaseCurrent();
    tier.invalidateSlices(key, version, sealed);
  }

  private void releaseCurrent() {
    if (current != null) {
      current.release();
      current = null;
    }
  }

  /** Builds the metadata of a completed fill. */
  @FunctionalInterface
  public interface MetadataFactory {
    /** The metadata for this version, body length and slice size. */
    StoredObject create(long version, long length, int sliceSize);
  }
}
