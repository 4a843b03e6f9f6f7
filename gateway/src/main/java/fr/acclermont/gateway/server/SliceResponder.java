package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.ConditionalRequests;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.SliceFile;
import fr.acclermont.gateway.cache.SliceRead;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.cache.Watchers;
import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.origin.FetchKind;
import fr.acclermont.gateway.origin.FetchRequest;
import fr.acclermont.gateway.origin.PendingObject;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Answers a GET or HEAD from a stored object's slices, whatever is present: the head from the
 * object's metadata at once, then the body byte run by byte run as far as the client's connection
 * is writable. A byte that is present is written as a retained slice of the stored buffer (no
 * copy); a byte that a fetch in flight will bring is waited for by watching its slice, and written
 * as soon as it lands (coalescing, no polling); a missing byte is claimed and fetched from the
 * origin by range, just the run this client needs within that slice. A client reading on past the
 * current slice has the next ones fetched ahead of it ({@code cache.read-ahead-slices}).
 *
 * <p>A fetch this client waits for that fails cuts the connection: a body is never short and
 * complete-looking. Leaving does not stop the fetches others share. Event loop only.
 *
 * <p>Served bytes are counted by where they come from ({@link ByteSource}), run by run, whatever the
 * response's {@code Cache-Status}: the runs fetched for this client (the probe it led, the runs it
 * claims, its read-ahead) count {@code origin} (or {@code disk} when the fetch reads the slice's
 * file); the runs of another fetch this client waits for count {@code collapsed} (or {@code disk});
 * bytes present when reached count {@code memory}, those sent from a file {@code disk}. So each byte
 * the uplink carries for a client counts {@code origin} once.
 */
final class SliceResponder implements Responder, Watchers.Watcher {

  /**
   * Bytes taken per write: a whole default slice, so a large hit costs one write (and one kernel
   * call) per MiB; clients of the same event loop still interleave at this grain, which takes the
   * kernel about a tenth of a millisecond to copy.
   */
  private static final int MAX_WRITE_BYTES = 1024 * 1024;

  private final ClientRequest client;
  private final StoreReading reading;
  private final Storage storage;
  private final StoredObject object;
  private final String cacheStatus;
  /** Whether this read counts as a use of each slice (W-TinyLFU): all but the fetch that creates them. */
  private final SliceRead.Use use;
  /** What the connection can send: files (zero-copy) or buffers only. */
  private final SliceRead.Sink sink;
  private long position;
  private long end;
  private int index = -1;
  private @Nullable Slice slice;
  private Watchers.@Nullable Registration registration;
  private Slice.@Nullable Claim waitingOn;
  /**
   * For the client that led the probe of the object (or a side probe), its wait: the probe's run is
   * this client's own ({@link PendingObject#probed}, read when needed: it may be noted after this
   * responder starts, when another probe published first). Null for every other reader.
   */
  private final @Nullable PendingObject probe;
  /**
   * Runs of the object whose bytes do not count as memory, in absolute offsets: the fetches made
   * for this client and those of others it waited for. Made on the first such run (a hit from
   * memory has none), pruned as the reader passes them.
   */
  private @Nullable ArrayList<Run> runs;
  /** Where {@link #sourceAt}'s answer stops holding (exclusive). */
  private long sourceEnd;
  /** The current slice's failure count when this client reached it. */
  private int failuresSeen;
  private boolean waitedOnOthers;
  /** The object's offset up to which {@link #fetchMissingAfter} has claimed what was missing. */
  private long fetchedThrough;
  private boolean done;
  private boolean unflushed;
  private @Nullable FetchRequest fetchRequest;

  /**
   * @param cacheStatus the {@code Cache-Status} value; null to decide from what is present
   *     ({@code hit}, or {@code fwd=partial} when some of the bytes must come from the origin)
   */
  SliceResponder(ClientRequest client, StoreReading reading, StoredObject object, @Nullable String cacheStatus) {
    this(client, reading, object, cacheStatus, SliceRead.Use.COUNTED, null);
  }

  /**
   * @param use {@link SliceRead.Use#COUNTED_AT_CREATION} for the client whose fetch creates the slices
   *     (the creation counts as its use); {@link SliceRead.Use#COUNTED} for every other reader, a
   *     class's clients collapsed on that fetch included
   * @param probe the wait whose probe this client sent (its run is this client's own), or null
   */
  SliceResponder(ClientRequest client, StoreReading reading, StoredObject object, @Nullable String cacheStatus,
      SliceRead.Use use, @Nullable PendingObject probe) {
    this.client = requireNonNull(client, "client");
    this.reading = requireNonNull(reading, "reading");
    this.storage = reading.storage();
    this.object = requireNonNull(object, "object");
    this.cacheStatus = cacheStatus;
    this.use = requireNonNull(use, "use");
    this.sink = client.zeroCopy() ? SliceRead.Sink.BUFFERS_AND_FILES : SliceRead.Sink.BUFFERS_ONLY;
    this.probe = probe;
    this.waitedOnOthers = cacheStatus != null; // a client that waited for the head was counted then
  }

  @Override
  public EventExecutor executor() {
    return client.ctx().executor();
  }

  @Override
  public void start() {
    long now = reading.clock().millis();
    HttpHeaders requestHeaders = client.request().headers();
    boolean notModified = ConditionalRequests.notModified(requestHeaders, object.headers());
    boolean ranged = !notModified && HttpMethod.GET.equals(client.method()) && object.status() == 200
        && ConditionalRequests.ifRangeMatches(requestHeaders, object.headers());
    ByteRange range = ByteRange.of(ranged ? requestHeaders.get(HttpHeaderNames.RANGE) : null, object.length());
    HttpResponseStatus status = notModified ? HttpResponseStatus.NOT_MODIFIED
        : switch (range.outcome()) {
          case PARTIAL -> HttpResponseStatus.PARTIAL_CONTENT;
          case UNSATISFIABLE -> HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
          case FULL -> HttpResponseStatus.valueOf(object.status());
        };
    boolean body = !notModified && HttpMethod.GET.equals(client.method())
        && range.outcome() != ByteRange.Outcome.UNSATISFIABLE;
    position = range.outcome() == ByteRange.Outcome.PARTIAL ? range.first() : 0;
    end = !body ? 0 : range.outcome() == ByteRange.Outcome.PARTIAL ? range.last() + 1 : object.length();
    String status0 = cacheStatus;
    if (status0 == null) {
      boolean hit = end == 0 || storage.allInMemory(object, position, end);
      boolean diskHit = !hit && storage.allStored(object, position, end);
      status0 = hit ? reading.statuses().hit(object.ttl(now))
          : diskHit ? reading.statuses().diskHit(object.ttl(now))
          : reading.statuses().partial();
    }
    client.ctx().write(StoredHeads.head(client, object, status, notModified ? null : range, object.age(now), status0));
    unflushed = true; // the head goes out at once, even when the first bytes must be waited for
    pump();
  }

  /** Writes what is present from {@code position}, and fetches or waits for what is not. */
  private void pump() {
    if (done) {
      return;
    }
    ChannelHandlerContext ctx = client.ctx();
    boolean wrote = false;
    while (position < end && ctx.channel().isWritable()) {
      int wanted = (int) (position / object.sliceSize());
      if (wanted != index) {
        SliceRead read = storage.read(object, wanted, sink, use);
        if (read == null) {
          // An object fetched whole lost a slice: it cannot be completed from the origin by range.
          leaveSlice();
          storage.lostSlice(object);
          breakConnection();
          return;
        }
        if (read instanceof SliceFile file) {
          // Not in memory, verified on disk: straight from the file, no memory slice for it.
          leaveSlice();
          long base = (long) wanted * object.sliceSize();
          int offset = (int) (position - base);
          int n = (int) Math.min(end - base, file.length()) - offset;
          writeFile(file, offset, n);
          wrote = true;
          continue;
        }
        enter(wanted, (Slice) read);
      }
      long base = (long) index * object.sliceSize();
      int offset = (int) (position - base);
      int stop = (int) Math.min(end - base, slice.length());
      Slice.Need need = slice.need(offset, stop, failuresSeen);
      if (need.kind() == Slice.Kind.FAILED) {
        breakConnection(); // the fetch bringing these bytes broke: never complete from another
        return;
      }
      if (need.kind() == Slice.Kind.PRESENT) {
        ByteSource source = sourceAt(position);
        int n = (int) Math.min(Math.min(Math.min(need.until(), stop) - offset, MAX_WRITE_BYTES), sourceEnd - position);
        ByteBuf piece = slice.read(offset, n);
        position += n;
        client.served(source, n);
        ctx.write(piece); // a bare buffer is content to the encoder, as a FileRegion is: no wrapper per piece
        wrote = true;
        continue;
      }
      SliceFile file = sink == SliceRead.Sink.BUFFERS_AND_FILES ? storage.verifiedFile(slice) : null;
      if (file != null) {
        // Verified since start-up: sent from the file with zero-copy rather than fetched or waited for.
        if (need.kind() == Slice.Kind.LEAD) {
          slice.endClaim(need.claim());
        }
        writeFile(file, offset, stop - offset);
        wrote = true;
        continue;
      }
      if (need.kind() == Slice.Kind.LEAD) {
        own(slice, need.claim());
        lead(need.claim());
      } else if (sourceAt(position) == ByteSource.MEMORY) {
        // A fetch not noted as this client's own (its read-ahead, its probe, a run it claimed) brings
        // these bytes: another client's, or a background fill. Collapsed on it (disk if it reads the
        // file), and counted once as coalesced; waiting on its own fetch is not.
        attribute(base + need.claim().from(), base + need.claim().to(), fromDisk(slice) ? ByteSource.DISK
            : ByteSource.COLLAPSED);
        if (!waitedOnOthers) {
          waitedOnOthers = true;
          client.metrics().coalesced();
        }
      }
      waitingOn = need.claim();
      fetchMissingAfter(base, need.claim().to(), stop);
      break;
    }
    if (position == end) {
      finish();
    } else if (wrote || unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  /** Sends {@code n} bytes of a slice's verified file from {@code offset} in the slice, with zero-copy. */
  private void writeFile(SliceFile file, int offset, int n) {
    client.ctx().write(new DefaultFileRegion(file.file().toFile(), file.position() + offset, n));
    position += n;
    client.served(ByteSource.DISK, n);
  }

  /**
   * Moves to slice {@code wanted}, whose memory copy {@code next} the caller got with a reference
   * (counted as a use, one per slice per read, by {@link Storage#read}): watches it, and fetches
   * ahead of a reader that goes on past it.
   */
  private void enter(int wanted, Slice next) {
    leaveSlice();
    slice = next;
    index = wanted;
    registration = next.watch(this);
    failuresSeen = next.failures();
    readAhead(wanted);
  }

  private void readAhead(int current) {
    if (!object.rangeable()) {
      return;
    }
    int slices = reading.readAheadSlices().getAsInt();
    for (int ahead = current + 1; ahead <= current + slices && (long) ahead * object.sliceSize() < end; ahead++) {
      Slice next = requireNonNull(storage.slice(object, ahead));
      long base = (long) ahead * object.sliceSize();
      Slice.Need need = next.need(0, (int) Math.min(end - base, next.length()));
      if (need.kind() == Slice.Kind.LEAD) {
        own(next, need.claim());
        reading.fetches().fetch(object, next, need.claim(), fetchRequest(),
            client.ctx().channel().eventLoop(), FetchKind.READ_AHEAD); // takes our reference
      } else {
        next.release();
      }
    }
  }

  /** A run of the object and where its bytes count as served from. */
  private record Run(long start, long end, ByteSource source) {
  }

  /**
   * Where the byte at {@code at} counts as served from, and in {@link #sourceEnd} up to where:
   * this client's probe run, else a run noted by {@link #attribute}, else memory.
   */
  private ByteSource sourceAt(long at) {
    long limit = Long.MAX_VALUE;
    PendingObject.Run probed = probe == null ? null : probe.probed();
    if (probed != null) {
      if (probed.first() <= at && at < probed.end()) {
        sourceEnd = probed.end();
        return ByteSource.ORIGIN;
      }
      if (at < probed.first()) {
        limit = probed.first();
      }
    }
    ArrayList<Run> noted = runs;
    if (noted != null) {
      for (int i = 0; i < noted.size(); i++) {
        Run run = noted.get(i);
        if (run.start() <= at && at < run.end()) {
          sourceEnd = Math.min(run.end(), limit);
          return run.source();
        }
        if (at < run.start()) {
          limit = Math.min(limit, run.start());
        }
      }
    }
    sourceEnd = limit;
    return ByteSource.MEMORY;
  }

  /** Notes that the bytes {@code [start, end)} of the object count as served from {@code source}. */
  private void attribute(long start, long end, ByteSource source) {
    ArrayList<Run> noted = runs;
    if (noted == null) {
      noted = new ArrayList<>(4);
      runs = noted;
    } else {
      noted.removeIf(run -> run.end() <= position); // passed
    }
    noted.add(new Run(start, end, source));
  }

  /** Notes a run this client claimed in {@code claimed}: fetched for it, from the origin or the slice's file. */
  private void own(Slice claimed, Slice.Claim claim) {
    long base = (long) claimed.key().index() * object.sliceSize();
    attribute(base + claim.from(), base + claim.to(), fromDisk(claimed) ? ByteSource.DISK : ByteSource.ORIGIN);
  }

  /** Whether a fetch of {@code s} reads its file on the disk tier rather than the origin ({@link Storage#fill}). */
  private boolean fromDisk(Slice s) {
    return storage.inFile(s.key());
  }

  /**
   * Claims and fetches every missing, unclaimed run of this client's bytes in the current slice
   * between {@code from} and {@code stop} (offsets in the slice), now rather than once the bytes
   * before them have arrived: a range that begins in another client's fetch (or in its own first
   * run) waits for both fetches side by side, not one after the other. Scans a slice's part once
   * ({@link #fetchedThrough}); a run that goes missing later is claimed when the reader reaches it.
   *
   * @param base the object's offset of the slice's first byte
   */
  private void fetchMissingAfter(long base, int from, int stop) {
    if (base + stop <= fetchedThrough || !object.rangeable()) {
      return;
    }
    fetchedThrough = base + stop;
    Slice current = requireNonNull(slice);
    int at = from;
    while (at < stop && !done) {
      Slice.Need ahead = current.need(at, stop, failuresSeen);
      switch (ahead.kind()) {
        case PRESENT -> at = ahead.until();
        case CLAIMED -> at = requireNonNull(ahead.claim()).to();
        case LEAD -> {
          Slice.Claim claim = requireNonNull(ahead.claim());
          own(current, claim);
          lead(claim);
          at = claim.to();
        }
        case FAILED -> at = stop; // the reader breaks when it gets there
        default -> throw new IllegalStateException("unknown kind " + ahead.kind());
      }
    }
  }

  /** Fetches the run this client just claimed; the fetch gets its own reference to the slice. */
  private void lead(Slice.Claim claim) {
    if (!object.rangeable()) {
      slice.failClaim(claim);
      storage.lostSlice(object);
      breakConnection();
      return;
    }
    slice.retain();
    reading.fetches().fetch(object, slice, claim, fetchRequest(),
        client.ctx().channel().eventLoop(), FetchKind.DEMAND);
  }

  private FetchRequest fetchRequest() {
    if (fetchRequest == null) {
      fetchRequest = FetchRequests.of(client);
    }
    return fetchRequest;
  }

  @Override
  public void onChange() {
    waitingOn = null;
    pump();
  }

  private void finish() {
    done = true;
    leaveSlice();
    client.ctx().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
      if (f.isSuccess()) {
        client.finish();
      } else {
        client.abort();
      }
    });
  }

  private void breakConnection() {
    done = true;
    leaveSlice();
    client.ctx().flush();
    client.abort();
  }

  private void leaveSlice() {
    Watchers.Registration r = registration;
    registration = null;
    if (r != null) {
      r.cancel();
    }
    Slice s = slice;
    slice = null;
    index = -1;
    if (s != null) {
      s.release();
    }
  }

  @Override
  public void onWritable() {
    if (!done && waitingOn == null) {
      pump();
    }
  }

  @Override
  public void onClientClosed() {
    done = true;
    leaveSlice();
  }
}
