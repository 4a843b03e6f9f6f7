package fr.acclermont.gateway.origin;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.ContentRange;
import fr.acclermont.gateway.cache.NoStoreReason;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.server.HopByHopHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What the answer to a probe means for the cache: a storable object (a new version) and the run
 * {@code [first, end)} of it that the body brings, or why it is not stored. A 206 gives the length
 * in its {@code Content-Range} and is stored as the 200 it is part of; any other answer with a
 * {@code Content-Length} within the object limit is the whole object (an origin without ranges).
 * Pure: no I/O.
 *
 * @param object the object to publish, or null when not stored
 * @param first the first byte the body brings
 * @param end the end (exclusive) of the bytes the body brings
 * @param notStored why it is not stored, or null
 * @param aboutTheObject whether the answer tells about the object (not storable as such); false for a
 *     416, which only says the probe asked beyond its end
 */
record ProbeAnswer(@Nullable StoredObject object, long first, long end, @Nullable String notStored,
    boolean aboutTheObject) {

  static ProbeAnswer read(HttpResponse response, HttpHeaders clientHeaders, CacheKey key, LongSupplier versions,
      int sliceSize, long maxObjectBytes, long requestTimeMillis, long responseTimeMillis) {
    HttpHeaders headers = new DefaultHttpHeaders().set(response.headers());
    HopByHopHeaders.strip(headers);
    int status = response.status().code();
    boolean rangeable = status == 206;
    long first;
    long end;
    long length;
    if (rangeable) {
      ContentRange range = ContentRange.parse(headers.get(HttpHeaderNames.CONTENT_RANGE));
      if (range == null) {
        return notStored("206 without a usable Content-Range");
      }
      status = 200;
      headers.remove(HttpHeaderNames.CONTENT_RANGE);
      headers.set(HttpHeaderNames.CONTENT_LENGTH, range.length());
      first = range.first();
      end = range.last() + 1;
      length = range.length();
    } else if (status == 416) {
      return new ProbeAnswer(null, 0, 0, "range not satisfiable", false);
    } else {
      length = HttpUtil.getContentLength(response, -1L);
      if (length < 0) {
        return notStored("no Content-Length");
      }
      if (length > maxObjectBytes) {
        return notStored(NoStoreReason.TOO_LARGE.tag() + " for an origin without ranges");
      }
      first = 0;
      end = length;
    }
    Optional<NoStoreReason> why = CachePolicy.whyNotStorable(clientHeaders, status, headers);
    if (why.isPresent()) {
      return notStored(why.get().tag());
    }
    StoredObject object = new StoredObject(key, versions.getAsLong(), status, headers, length, sliceSize,
        requestTimeMillis, responseTimeMillis, CachePolicy.dateMillis(headers.get(HttpHeaderNames.DATE),
        responseTimeMillis), CachePolicy.ageHeader(headers), CachePolicy.freshnessLifetime(headers), rangeable);
    return new ProbeAnswer(object, first, end, null, true);
  }

  private static ProbeAnswer notStored(String why) {
    return new ProbeAnswer(null, 0, 0, why, true);
  }
}
