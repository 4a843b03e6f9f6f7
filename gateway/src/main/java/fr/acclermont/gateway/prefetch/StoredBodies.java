package fr.acclermont.gateway.prefetch;

import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the whole body of a stored object (a manifest) back from the store, slice by slice
 * ({@link Storage#readComplete}: a complete slice in memory is copied, one on disk is read and
 * verified on the disk tier's executor). Thread-safe; the future completes on the caller's thread
 * or the disk tier's.
 */
final class StoredBodies {

  private StoredBodies() {}

  /**
   * The stored bytes of {@code object} (as stored: encoded if the origin encoded them); fails with
   * an {@link IOException} when a slice is held nowhere, or the object is larger than {@code maxBytes}.
   */
  static CompletableFuture<byte[]> read(Storage storage, StoredObject object, int maxBytes) {
    if (object.length() > maxBytes) {
      return CompletableFuture.failedFuture(new IOException(object.length() + " bytes, more than " + maxBytes));
    }
    byte[] body = new byte[(int) object.length()];
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    readFrom(storage, object, 0, body, done);
    return done;
  }

  private static void readFrom(Storage storage, StoredObject object, int index, byte[] body,
      CompletableFuture<byte[]> done) {
    if (index == object.sliceCount()) {
      done.complete(body);
      return;
    }
    boolean held = storage.readComplete(object, index, data -> {
      if (data == null) {
        done.completeExceptionally(new IOException("slice " + index + " could not be read from disk"));
        return;
      }
      copy(data, body, index, object);
      readFrom(storage, object, index + 1, body, done);
    });
    if (!held) {
      done.completeExceptionally(new IOException("slice " + index + " is not held"));
    }
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
