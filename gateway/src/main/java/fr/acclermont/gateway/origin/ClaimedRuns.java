package fr.acclermont.gateway.origin;

import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The runs of slices one fetch has claimed, in object order, and writes as its body arrives: each
 * run is ended (its readers told) as soon as its last byte is written. Holds one reference to
 * each slice, given back by {@link #end} or {@link #fail}, or handed over by {@link #takeSlices}.
 * Event loop of its fetch only.
 */
final class ClaimedRuns {

  /** A claimed run of one slice, at absolute object offsets {@code [start, end)}. */
  record Segment(Slice slice, Slice.Claim claim, long base, long start, long end) {
  }

  private final List<Segment> segments = new ArrayList<>(2);
  /** The first run not written to its end yet. */
  private int next;

  /**
   * Claims {@code [from, to)} of {@code stored} in its slices (created if absent), all or nothing:
   * null, nothing claimed, if part of it is already present or claimed.
   */
  static @Nullable List<Segment> claim(Storage storage, StoredObject stored, long from, long to) {
    int sliceSize = stored.sliceSize();
    List<Segment> claims = new ArrayList<>(2);
    for (long base = from - from % sliceSize; base < to; base += sliceSize) {
      int index = (int) (base / sliceSize);
      Slice slice = storage.sliceOrCreate(stored, index);
      long start = Math.max(from, base);
      long stop = Math.min(to, base + slice.length());
      Slice.Claim claim = slice.claimExactly((int) (start - base), (int) (stop - base));
      if (claim == null) {
        slice.release();
        for (Segment segment : claims) {
          segment.slice().endClaim(segment.claim()); // nothing written: the run is missing again
          segment.slice().release();
        }
        return null;
      }
      claims.add(new Segment(slice, claim, base, start, stop));
    }
    return claims;
  }

  /** The run of {@code claim} in {@code slice} of {@code object}. */
  static Segment of(StoredObject object, Slice slice, Slice.Claim claim) {
    long base = (long) slice.key().index() * object.sliceSize();
    return new Segment(slice, claim, base, base + claim.from(), base + claim.to());
  }

  /** Takes over runs (and their slice references). */
  void addAll(Collection<Segment> runs) {
    segments.addAll(runs);
  }

  /** Whether the runs are exactly {@code [first, end)}, contiguous (none for an empty range). */
  boolean coverExactly(long first, long end) {
    if (segments.isEmpty()) {
      return first == end;
    }
    long position = first;
    for (Segment segment : segments) {
      if (segment.start() != position) {
        return false;
      }
      position = segment.end();
    }
    return position == end;
  }

  /** Writes the readable bytes of {@code data} (not consumed) at {@code position}; returns the position after. */
  long write(long position, ByteBuf data) {
    int index = data.readerIndex();
    int remaining = data.readableBytes();
    while (remaining > 0) {
      Segment segment = segments.get(next);
      int n = (int) Math.min(remaining, segment.end() - position);
      segment.slice().write((int) (position - segment.base()), data, index, n);
      index += n;
      remaining -= n;
      position += n;
      if (position == segment.end()) {
        segment.slice().endClaim(segment.claim());
        next++;
      }
    }
    return position;
  }

  /** The slice being written, or null when every run is written. */
  @Nullable Slice current() {
    return next < segments.size() ? segments.get(next).slice() : null;
  }

  /**
   * Ends the runs not yet written as missing again ({@link Slice#endClaim}: the fetch gives them up
   * without having broken, and the next reader fetches them) and releases every slice.
   */
  void end() {
    for (int i = next; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      segment.slice().endClaim(segment.claim());
    }
    release();
  }

  /**
   * Fails the runs not yet written ({@link Slice#failClaim}: the fetch broke, and the readers
   * waiting on them are cut) and releases every slice.
   */
  void fail() {
    for (int i = next; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      segment.slice().failClaim(segment.claim());
    }
    release();
  }

  /** Releases every slice and forgets the runs. */
  private void release() {
    for (Segment segment : segments) {
      segment.slice().release();
    }
    segments.clear();
    next = 0;
  }

  /** Every slice, with its reference, once every run is written; nothing is held after. */
  List<Slice> takeSlices() {
    List<Slice> slices = segments.stream().map(Segment::slice).toList();
    segments.clear();
    next = 0;
    return slices;
  }
}
