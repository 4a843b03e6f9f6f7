package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One object being fetched from the origin, readable by any number of clients while it fills: the
 * heart of coalescing. The first client to miss creates it and its origin fetch; clients that miss
 * while it is in flight subscribe and receive the bytes as they arrive, each at its own pace.
 *
 * <p>Design notes.
 *
 * <p>States: {@code AWAITING_HEAD} (the origin has not answered yet) → {@code STREAMING} (the
 * head is published: status, headers, length) → {@code COMPLETE} (every byte arrived; the object
 * is published in the {@link MemoryTier}) or {@code FAILED} (the fetch broke: subscribers that have
 * not reached the end close their connections; nothing partial is published). From
 * {@code AWAITING_HEAD} it may also be {@code ABANDONED}: the response may not be stored or
 * shared (no-store, too large, not a 200...), so each subscriber fetches on its own.
 *
 * <p>Buffers: the body is cut into fixed-size slices as it is appended. Each slice is a direct
 * buffer allocated at its final size (never reallocated, so readers on other threads can read it
 * while it fills). The object owns one reference to each slice; a sealed slice is also put in the
 * tier with a reference of its own. Subscribers write retained slices of these buffers. The
 * object's references are released when it has ended and its last subscriber has left, so memory
 * in flight is bounded by the object size times the objects in flight.
 *
 * <p>Concurrency: exactly one producer (the origin fetch, on its event loop) appends and ends the
 * object; {@code written} is volatile and published after the bytes, so a subscriber that reads it
 * may read that many bytes. Subscribers are told of progress on their own executor, at most one
 * pending notification each.
 */
public final class InFlightObject {

  /** Where the object stands. */
  public enum State {
    /** The origin has not sent its head yet. */
    AWAITING_HEAD,
    /** The head is known; bytes are arriving. */
    STREAMING,
    /** Every byte arrived and the object is stored. */
    COMPLETE,
    /** The fetch failed; what arrived is not stored. */
    FAILED,
    /** The response is not shareable: each subscriber must fetch on its own. */
    ABANDONED;

    /** Whether nothing more will happen. */
    public boolean isTerminal() {
      return this == COMPLETE || this == FAILED || this == ABANDONED;
    }
  }

  /** A client reading the object. Methods are called on {@link #executor()}. */
  public interface Subscriber {
    /** The subscriber's event loop. */
    EventExecutor executor();

    /** Something changed: the head arrived, bytes arrived, or the object ended. */
    void onProgress();
  }

  /**
   * The response head, once the origin sent it.
   *
   * @param status the origin's status
   * @param headers its end-to-end headers (hop-by-hop removed); never mutated
   * @param length the body length, or -1 when the origin did not say
   */
  public record Head(int status, HttpHeaders headers, long length) {
  }

  private final MemoryTier tier;
  private final ByteBufAllocator allocator;
  private final CacheKey key;
  private final int sliceSize;
  private final long version;
  private final List<Registration> subscribers = new CopyOnWriteArrayList<>();
  private final List<ByteBuf> slices = new ArrayList<>();
  private volatile State state = State.AWAITING_HEAD;
  private volatile @Nullable Head head;
  private volatile long written;
  private volatile ByteBuf[] published = new ByteBuf[0];
  private int sealed;
  private boolean released;

  /** Creates an object awaiting its head. */
  public InFlightObject(MemoryTier tier, ByteBufAllocator allocator, CacheKey key, int sliceSize) {
    this.tier = requireNonNull(tier, "tier");
    this.allocator = requireNonNull(allocator, "allocator");
    this.key = requireNonNull(key, "key");
    this.sliceSize = sliceSize;
    this.version = tier.nextVersion();
  }

  /** The object's key. */
  public CacheKey key() {
    return key;
  }

  /** The current state. */
  public State state() {
    return state;
  }

  /** The head, or null before it arrived (or if abandoned before it). */
  public @Nullable Head head() {
    return head;
  }

  /** Bytes of the body available to readers so far. */
  public long written() {
    return written;
  }

  // ---- producer side (the origin fetch's event loop) ----

  /** Publishes the head: subscribers may start their responses. */
  public void publishHead(Head head) {
    if (state != State.AWAITING_HEAD) {
      throw new IllegalStateException("head after " + state);
    }
    this.head = requireNonNull(head, "head");
    state = State.STREAMING;
    notifySubscribers();
  }

  /**
   * Copies the readable bytes of {@code data} (without consuming them). Returns false, having
   * failed the object, if the body outgrows the tier's object limit or its announced length.
   */
  public boolean append(ByteBuf data) {
    if (state != State.STREAMING) {
      return false;
    }
    long length = head.length();
    int remaining = data.readableBytes();
    if (written + remaining > tier.maxObjectBytes() || (length >= 0 && written + remaining > length)) {
      fail();
      return false;
    }
    int index = data.readerIndex();
    long position = written;
    while (remaining > 0) {
      ByteBuf slice = sliceFor(position);
      int n = Math.min(remaining, sliceSize - slice.writerIndex());
      slice.writeBytes(data, index, n);
      index += n;
      remaining -= n;
      position += n;
      if (slice.writerIndex() == sliceSize) {
        seal(slice);
      }
    }
    written = position; // publishes the bytes above to readers on other threads
    notifySubscribers();
    return true;
  }

  private ByteBuf sliceFor(long position) {
    int index = (int) (position / sliceSize);
    if (index < slices.size()) {
      return slices.get(index);
    }
    long length = head.length();
    // Final size up front: a buffer that grows would be reallocated under concurrent readers.
    int capacity = length >= 0 ? (int) Math.min(sliceSize, length - position) : sliceSize;
    ByteBuf slice = allocator.directBuffer(capacity, capacity);
    slices.add(slice);
    ByteBuf[] grown = java.util.Arrays.copyOf(published, slices.size());
    grown[index] = slice;
    published = grown;
    return slice;
  }

  private void seal(ByteBuf slice) {
    tier.putSlice(new SliceKey(key, version, sealed++), slice.retain());
  }

  /**
   * Ends the fetch successfully: if the body is complete, the object is published in the tier.
   * Returns whether it was stored (otherwise the object failed).
   */
  public boolean complete(MetadataFactory metadata) {
    if (state != State.STREAMING) {
      return false;
    }
    long length = head.length();
    if (length >= 0 && written != length) {
      fail();
      return false;
    }
    if (sealed < slices.size() && slices.get(sealed).isReadable()) {
      ByteBuf last = slices.get(sealed);
      int n = last.writerIndex();
      if (n < last.capacity()) {
        // Unknown length: allocated at the full slice size and possibly being read, so not
        // reallocated; the tier gets a copy without the spare room.
        ByteBuf trimmed = allocator.directBuffer(n, n).writeBytes(last, 0, n);
        tier.putSlice(new SliceKey(key, version, sealed++), trimmed);
      } else {
        seal(last);
      }
    }
    tier.putObject(metadata.create(version, written, sliceSize));
    end(State.COMPLETE);
    return true;
  }

  /** The fetch broke: nothing is published; subscribers that did not reach the end are cut. */
  public void fail() {
    if (state.isTerminal()) {
      return;
    }
    tier.invalidateSlices(key, version, sealed);
    end(State.FAILED);
  }

  /** The response must not be shared: subscribers fetch on their own. Only before the head. */
  public void abandon() {
    if (state != State.AWAITING_HEAD) {
      fail();
      return;
    }
    end(State.ABANDONED);
  }

  private void end(State terminal) {
    state = terminal;
    notifySubscribers();
    releaseIfUnused();
  }

  // ---- subscriber side (any event loop) ----

  /**
   * Adds a subscriber; it is told of progress until it {@link Registration#cancel cancels}.
   * Returns null if the object has already failed or been abandoned (fetch on your own).
   */
  public synchronized @Nullable Registration subscribe(Subscriber subscriber) {
    if (released || state == State.FAILED || state == State.ABANDONED) {
      return null;
    }
    Registration registration = new Registration(subscriber);
    subscribers.add(registration);
    return registration;
  }

  /**
   * A retained slice of the body from {@code position}, at most {@code max} bytes and never
   * across a slice boundary; empty when nothing new is available. The caller owns the result.
   */
  public ByteBuf read(long position, int max) {
    long available = written;
    if (position >= available) {
      return io.netty.buffer.Unpooled.EMPTY_BUFFER;
    }
    ByteBuf slice = published[(int) (position / sliceSize)];
    int offset = (int) (position % sliceSize);
    int n = (int) Math.min(Math.min(max, available - position), sliceSize - offset);
    return slice.retainedSlice(offset, n);
  }

  private void notifySubscribers() {
    for (Registration registration : subscribers) {
      registration.signal();
    }
  }

  private synchronized void releaseIfUnused() {
    if (released || !state.isTerminal() || !subscribers.isEmpty()) {
      return;
    }
    released = true;
    for (ByteBuf slice : slices) {
      slice.release();
    }
    slices.clear();
  }

  /** Builds the metadata of a completed object. */
  @FunctionalInterface
  public interface MetadataFactory {
    /** The metadata for this version, body length and slice size. */
    StoredObject create(long version, long length, int sliceSize);
  }

  /** One subscriber's place: coalesces notifications so at most one is queued at a time. */
  public final class Registration {

    private final Subscriber subscriber;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean cancelled;

    private Registration(Subscriber subscriber) {
      this.subscriber = subscriber;
    }

    private void signal() {
      if (!cancelled && scheduled.compareAndSet(false, true)) {
        try {
          subscriber.executor().execute(() -> {
            scheduled.set(false);
            if (!cancelled) {
              subscriber.onProgress();
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
          // The subscriber's event loop is gone (shutdown): it will never read; let it go.
          scheduled.set(false);
          cancel();
        }
      }
    }

    /** Leaves the object; the last subscriber to leave an ended object frees its buffers. */
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      subscribers.remove(this);
      releaseIfUnused();
    }
  }
}
