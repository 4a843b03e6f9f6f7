package fr.acclermont.gateway.origin;

import fr.acclermont.gateway.cache.ContentRange;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import java.util.Objects;

/**
 * A range fetch: one claimed run of one slice of a known object (see {@link SliceFetch}), for a
 * reader that waits for it, will reach it soon, or for nobody (a background fill). Its head must
 * be a 206 of the same version and of exactly that run. Event loop only.
 */
final class RangeFetch extends SliceFetch {

  /**
   * A fetch of {@code claim}'s run; takes over the caller's reference to {@code slice}. It may stop
   * once nobody watches the slice if its {@code kind} allows it and {@code cache.finish-unwatched}
   * is off.
   */
  RangeFetch(SliceFetcher fetcher, StoredObject object, Slice slice, Slice.Claim claim, FetchRequest request,
      EventLoop loop, FetchKind kind) {
    super(fetcher, request, loop, kind, object);
    ClaimedRuns.Segment run = ClaimedRuns.of(object, slice, claim);
    runs.addAll(List.of(run));
    position = run.start();
    end = run.end();
  }

  @Override
  String range() {
    return "bytes=" + position + "-" + (end - 1);
  }

  /** If its kind allows it ({@link FetchKind#stopsUnwatched}) and {@code cache.finish-unwatched} is off. */
  @Override
  boolean stopsUnwatched() {
    return kind.stopsUnwatched() && !fetcher.finishUnwatched;
  }

  /** A range fetch's answer must be the same version of the object and exactly the run asked for. */
  @Override
  boolean onHead(HttpResponse response) {
    StoredObject expected = object;
    HttpHeaders headers = response.headers();
    ContentRange range = ContentRange.parse(headers.get(HttpHeaderNames.CONTENT_RANGE));
    boolean sameVersion = response.status().code() == 206 && range != null && range.length() == expected.length()
        && Objects.equals(headers.get(HttpHeaderNames.ETAG), expected.etag())
        && Objects.equals(headers.get(HttpHeaderNames.LAST_MODIFIED), expected.lastModified());
    if (!sameVersion) {
      log.info("{} changed at the origin (status {}, Content-Range {}, ETag {}): dropping the stored version",
          expected.key(), response.status().code(), headers.get(HttpHeaderNames.CONTENT_RANGE),
          headers.get(HttpHeaderNames.ETAG));
      fetcher.storage.changed(expected);
      abortExchange();
      fail(new OriginFailureException("the object changed at the origin"));
      return false;
    }
    if (range.first() != position || range.last() != end - 1) {
      abortExchange();
      fail(new OriginFailureException("the origin answered " + range + " for bytes " + position + "-" + (end - 1)));
      return false;
    }
    return true;
  }

}
