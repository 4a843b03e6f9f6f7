package fr.acclermont.gateway.prefetch;

import fr.acclermont.gateway.cache.DiskTier;
import fr.acclermont.gateway.cache.MemoryTier;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.SliceKey;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Reads the whole body of a stored object (a manifest) back from the tiers, slice by slice: a
 * complete slice in memory is copied, one on disk is read (and verified) on the disk tier's
 * executor. Thread-safe; the future completes on the caller's thread or the disk tier's.
 */
final class StoredBodies {

  private StoredBodies() {}

  /**
   * The stored bytes of {@code object} (as stored: encoded if the origin encoded them); fails with
   * an {@link IOException} when a slice is held nowhere, or the object is larger than {@code maxBytes}.
   */
  static CompletableFuture<byte[]> read(MemoryTier memory, @Nullable DiskTier disk, StoredObject object,
      int maxBytes, ByteBufAllocator allocator) {
    if (object.length() > maxBytes) {
      return CompletableFuture.failedFuture(new IOException(object.length() + " bytes, more than " + maxBytes));
    }
    byte[] body = new byte[(int) object.length()];
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    readFrom(memory, disk, object, 0, body, allocator, done);
    return done;
  }

  private static void readFrom(MemoryTier memory, @Nullable DiskTier disk, StoredObject object, int index,
      byte[] body, ByteBufAllocator allocator, CompletableFuture<byte[]> done) {
    for (; index < object.sliceCount(); index++) {
      SliceKey key = object.slice(index);
      Slice slice = memory.slice(key);
      if (slice != null && slice.isComplete()) {
        try {
          copy(slice.read(0, slice.length()), body, index, object);
        } finally {
          slice.release();
        }
        continue;
      }
      if (slice != null) {
        slice.release();
      }
      if (disk == null || !disk.hasSlice(key)) {
        done.completeExceptionally(new IOException("slice " + index + " is not held"));
        return;
      }
      int next = index + 1;
      disk.readSlice(object, key, allocator, data -> {
        if (data == null) {
          done.completeExceptionally(new IOException("slice " + key.index() + " could not be read from disk"));
          return;
        }
        copy(data, body, key.index(), object);
        readFrom(memory, disk, object, next, body, allocator, done);
      });
      return;
    }
    done.complete(body);
  }

  /** Copies a slice's bytes into {@code body} and releases them. */
  private static void copy(ByteBuf data, byte[] body, int index, StoredObject object) {
    try {
      data.getBytes(data.readerIndex(), body, (int) ((long) index * object.sliceSize()), data.readableBytes());
    } finally {
      data.release();
    }
  }
}
