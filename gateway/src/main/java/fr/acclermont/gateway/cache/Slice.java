package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One slice of one version of an object: a direct buffer allocated at its final size, of which any
 * set of byte runs may be present, plus the fetches in flight that are filling it ({@link Claim}s).
 * A slice may stay partly present: a reader that wanted 64 KiB of it made only those bytes come.
 *
 * <p>Readers ask {@link #need} where their next byte stands: present (read it), claimed by a fetch
 * in flight (watch the slice and wait for it), or missing (the reader now holds a new claim and
 * must start the fetch). The decision and the claim are atomic, so two readers never fetch the
 * same byte.
 *
 * <p>Buffers: the slice owns its buffer and releases it when its own reference count ends (the
 * tier holds one reference, each reader and fetch using it another). Readers take retained slices
 * of the buffer for their writes, so bytes in a client's outbound queue outlive an eviction. The
 * buffer is never reallocated: fetches write into disjoint runs with absolute indexes while readers
 * read other runs, and the present runs are published through a volatile array after the bytes.
 * Fetches on several event loops may write into one slice at once, so writes go through an NIO
 * view of the buffer that only ever takes absolute puts, never through the buffer's own
 * {@code setBytes} (see {@link #write}); readers' views are derived buffers, whose NIO buffers are
 * their own.
 *
 * <p>Thread-safe.
 */
public final class Slice extends AbstractReferenceCounted implements SliceRead {

  /** A run {@code [from, to)} of the slice that one fetch in flight will write, in order. */
  public static final class Claim {
    private final int from;
    private final int to;
    private volatile boolean failed;

    private Claim(int from, int to) {
      this.from = from;
      this.to = to;
    }

    /** First byte of the run, within the slice. */
    public int from() {
      return from;
    }

    /** End of the run (exclusive), within the slice. */
    public int to() {
      return to;
    }

    /** Whether its fetch broke: bytes of the run that are not present will not come from it. */
    public boolean failed() {
      return failed;
    }
  }

  /** Where a reader's next byte stands. */
  public enum Kind {
    /** Present: read up to {@link Need#until}. */
    PRESENT,
    /** A fetch in flight will write it: watch the slice. */
    CLAIMED,
    /** Missing: the caller now holds {@link Need#claim} and must fetch it. */
    LEAD,
    /**
     * Missing because the fetch that was bringing it failed after the reader came: that reader's
     * response is broken (it may not be completed from another fetch, by the rules of failures).
     */
    FAILED
  }

  /**
   * The answer of {@link #need}.
   *
   * @param kind where the byte stands
   * @param until for {@code PRESENT}, the end (exclusive) of the present run
   * @param claim for {@code CLAIMED}, the fetch to wait for; for {@code LEAD}, the caller's new claim
   */
  public record Need(Kind kind, int until, @Nullable Claim claim) {
  }

  private static final int[] NONE = new int[0];

  private final SliceKey key;
  private final ByteBuf buffer;
  /** The buffer's memory, for {@link #write} only: absolute puts, its position never moves. */
  private final ByteBuffer memory;
  private final Watchers watchers = new Watchers();
  /** Present runs, sorted and disjoint, as {@code from0, to0, from1, to1...}; replaced, never mutated. */
  private volatile int[] present = NONE;
  /** Fetches in flight; guarded by {@code this}. */
  private final List<Claim> claims = new ArrayList<>(2);
  /** Runs whose fetch failed, as {@code from, to, failure number}; guarded by {@code this}. */
  private final List<int[]> failedRuns = new ArrayList<>(0);
  /** How many claims have failed so far; guarded by {@code this}. */
  private int failures;

  /** Creates an empty slice over {@code buffer}, whose capacity is the slice's length; takes it over. */
  public Slice(SliceKey key, ByteBuf buffer) {
    this.key = requireNonNull(key, "key");
    this.buffer = requireNonNull(buffer, "buffer");
    this.memory = buffer.nioBuffer(0, buffer.capacity()).slice(); // index 0 is the slice's first byte
  }

  /** The slice's key. */
  public SliceKey key() {
    return key;
  }

  /** The slice's length in bytes. */
  public int length() {
    return buffer.capacity();
  }

  /** Whether every byte is present. */
  public boolean isComplete() {
    int[] runs = present;
    return runs.length == 2 && runs[0] == 0 && runs[1] == length();
  }

  /** Present bytes in total. */
  public int presentBytes() {
    int[] runs = present;
    int total = 0;
    for (int i = 0; i < runs.length; i += 2) {
      total += runs[i + 1] - runs[i];
    }
    return total;
  }

  /** The end (exclusive) of the present run holding {@code offset}, or {@code offset} when it is absent. */
  public int presentUntil(int offset) {
    int[] runs = present;
    for (int i = 0; i < runs.length; i += 2) {
      if (runs[i] <= offset && offset < runs[i + 1]) {
        return runs[i + 1];
      }
    }
    return offset;
  }

  /** How many claims of this slice have failed so far: a reader notes it when it starts reading the slice. */
  public synchronized int failures() {
    return failures;
  }

  /** {@link #need(int, int, int)} for a reader that accepts bytes fetched again after any failure. */
  public Need need(int offset, int end) {
    return need(offset, end, Integer.MAX_VALUE);
  }

  /**
   * Where byte {@code offset} stands for a reader that wants the run up to {@code end}; if it is
   * missing and unclaimed, claims the gap from {@code offset} up to {@code end}, the next present
   * byte or the next claim, whichever comes first, for the caller. {@code FAILED} if the byte is
   * missing because a claim failed after the reader's {@code failuresSeen}.
   */
  public synchronized Need need(int offset, int end, int failuresSeen) {
    if (offset < 0 || end > length() || offset >= end) {
      throw new IllegalArgumentException("need [" + offset + ", " + end + ") of " + length());
    }
    int until = presentUntil(offset);
    if (until > offset) {
      return new Need(Kind.PRESENT, until, null);
    }
    for (int[] run : failedRuns) {
      if (run[2] > failuresSeen && run[0] <= offset && offset < run[1]) {
        return new Need(Kind.FAILED, offset, null);
      }
    }
    int gapEnd = end;
    for (Claim claim : claims) {
      if (claim.from <= offset && offset < claim.to) {
        return new Need(Kind.CLAIMED, offset, claim);
      }
      if (claim.from > offset) {
        gapEnd = Math.min(gapEnd, claim.from);
      }
    }
    int[] runs = present;
    for (int i = 0; i < runs.length; i += 2) {
      if (runs[i] > offset) {
        gapEnd = Math.min(gapEnd, runs[i]);
        break;
      }
    }
    Claim claim = new Claim(offset, gapEnd);
    claims.add(claim);
    return new Need(Kind.LEAD, offset, claim);
  }

  /**
   * Claims the first run of missing, unclaimed bytes, at most {@code maxBytes} (a background fill
   * of the rest of the slice, in short runs so that a reader never waits long behind one), or
   * returns null when every byte is present or claimed.
   */
  public synchronized @Nullable Claim claimFirstGap(int maxBytes) {
    int offset = 0;
    while (offset < length()) {
      int until = presentUntil(offset);
      if (until > offset) {
        offset = until;
        continue;
      }
      Claim covering = null;
      for (Claim claim : claims) {
        if (claim.from <= offset && offset < claim.to) {
          covering = claim;
        }
      }
      if (covering != null) {
        offset = covering.to;
        continue;
      }
      return need(offset, (int) Math.min(length(), (long) offset + maxBytes)).claim();
    }
    return null;
  }

  /**
   * Claims exactly {@code [from, to)} for a fetch already under way (its range was fixed by the
   * origin's answer). Returns null if part of it is present or claimed.
   */
  public synchronized @Nullable Claim claimExactly(int from, int to) {
    for (Claim claim : claims) {
      if (claim.from < to && from < claim.to) {
        return null;
      }
    }
    int[] runs = present;
    for (int i = 0; i < runs.length; i += 2) {
      if (runs[i] < to && from < runs[i + 1]) {
        return null;
      }
    }
    Claim claim = new Claim(from, to);
    claims.add(claim);
    return claim;
  }

  /**
   * Writes {@code n} bytes of {@code data} from {@code index} at {@code offset} (within the claim
   * of the caller's fetch) and publishes them to readers.
   *
   * <p>Two fetches on two event loops may write into this slice at the same time (disjoint claims),
   * and {@code buffer.setBytes} is not safe for that even at disjoint absolute indexes: a buffer of
   * the adaptive allocator (Netty 4.2's default) copies from a buffer of another kind by positioning
   * its one cached internal NIO buffer at {@code offset} and putting relative to that position, so
   * a write made meanwhile by another thread moves where this one lands. The bytes then went to the
   * other fetch's offset, and this run, marked present, kept whatever the memory held before
   * (zeros, or another slice's bytes): a client got wrong bytes of the right length, about one test
   * run in fifteen. An absolute put into {@link #memory} touches no shared position.
   */
  public void write(int offset, ByteBuf data, int index, int n) {
    if (refCnt() == 0) {
      throw new IllegalReferenceCountException(0); // the NIO view would write into freed memory unchecked
    }
    ByteBuffer source = data.nioBuffer(index, n);
    memory.put(offset, source, source.position(), n);
    markPresent(offset, offset + n);
    watchers.signal();
  }

  private synchronized void markPresent(int from, int to) {
    int[] runs = present;
    int[] merged = new int[runs.length + 2];
    int m = 0;
    boolean placed = false;
    for (int i = 0; i < runs.length; i += 2) {
      int s = runs[i];
      int e = runs[i + 1];
      if (e < from || s > to) {
        if (!placed && s > to) {
          merged[m++] = from;
          merged[m++] = to;
          placed = true;
        }
        merged[m++] = s;
        merged[m++] = e;
      } else {
        from = Math.min(from, s); // overlapping or touching: absorb
        to = Math.max(to, e);
      }
    }
    if (!placed) {
      merged[m++] = from;
      merged[m++] = to;
    }
    present = Arrays.copyOf(merged, m); // publishes the bytes written before
  }

  /**
   * Ends a claim whose fetch did not break: every byte of its run was written, or none was and the
   * run is missing again (the fetch never started, or the claim was given up), so the next reader
   * that needs it leads a new fetch. Readers waiting on it look again.
   */
  public void endClaim(Claim claim) {
    synchronized (this) {
      claims.remove(claim);
    }
    watchers.signal();
  }

  /**
   * Ends a claim whose fetch broke: the bytes of its run not written yet will not come from it.
   * What it wrote stays present; the rest becomes {@link Kind#FAILED} for the readers that came
   * before the failure (their responses are cut), and missing for later ones, who fetch it again.
   * Readers waiting on it look again.
   */
  public void failClaim(Claim claim) {
    synchronized (this) {
      claim.failed = true;
      claims.remove(claim);
      failedRuns.removeIf(run -> presentUntil(run[0]) >= run[1]); // fetched again since: forget
      int missingFrom = Math.max(claim.from, presentUntil(claim.from)); // what it wrote stays present
      failedRuns.add(new int[] {missingFrom, claim.to, ++failures});
    }
    watchers.signal();
  }

  /**
   * A retained slice of {@code n} present bytes from {@code offset}; the caller owns it.
   *
   * <p>{@code slice().retain()}, not {@code retainedSlice()}: a pooled allocator's retained slice is
   * a recycled object, and these views are made on one event loop, wait in another client's
   * outbound queue and are released there. A plain view shares only the buffer's reference count,
   * so no recycled object ever crosses threads. It is a derived buffer: its NIO buffers (which a
   * transport may use to write it) are new ones each time, never the buffer's shared internal one.
   * (The wrong bytes once blamed on recycled views came from concurrent writes: see {@link #write}.)
   */
  public ByteBuf read(int offset, int n) {
    return buffer.slice(offset, n).retain();
  }

  /** The slice's bytes as a read-only NIO view (for writing a complete slice to disk). */
  ByteBuffer nioBuffer() {
    return buffer.nioBuffer(0, length()).asReadOnlyBuffer();
  }

  /** Watches the slice: told whenever bytes arrive or a claim ends. */
  public Watchers.Registration watch(Watchers.Watcher watcher) {
    return watchers.add(watcher);
  }

  /** Whether any reader watches the slice (waits for its bytes). */
  public boolean isWatched() {
    return !watchers.isEmpty();
  }

  /** Takes a reference, or returns false if the slice was already freed (an eviction raced). */
  public boolean tryRetain() {
    try {
      retain();
      return true;
    } catch (io.netty.util.IllegalReferenceCountException freed) {
      return false;
    }
  }

  @Override
  protected void deallocate() {
    buffer.release();
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    buffer.touch(hint);
    return this;
  }

  @Override
  public String toString() {
    return "Slice[" + key + ", " + presentBytes() + "/" + length() + " present]";
  }
}
