package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.CacheRules;
import fr.acclermont.gateway.cache.ContentRange;
import fr.acclermont.gateway.cache.NoStoreReason;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.cache.Variants;
import fr.acclermont.gateway.http.HopByHopHeaders;
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
 * @param meaning what the answer is for the cache: see {@link Meaning}
 * @param object the object to publish, or null when not stored ({@link Meaning#OBJECT} only)
 * @param first the first byte the body brings
 * @param end the end (exclusive) of the bytes the body brings
 * @param notStored why it is not stored, or null
 */
record ProbeAnswer(Meaning meaning, @Nullable StoredObject object, long first, long end,
    @Nullable String notStored) {

  /** What a probe's answer is, which decides what the probe does with the object's wait. */
  enum Meaning {
    /** A storable object (a new version): it is published, and the run the body brings is claimed. */
    OBJECT,
    /**
     * An answer about the object that may not be stored as such (no-store, no usable length, too
     * large...): the object is not shared, and its URL is passed through for a while (hit-for-pass).
     */
    NOT_STORABLE,
    /**
     * An answer not stored that says nothing of the object, so the URL is not remembered as
     * unshareable: a 416 (the probe asked beyond its end), a 304 to a probe without validators, or
     * an answer unshareable only because the request carried {@code Authorization} (RFC 9111 3.5).
     */
    NOT_ABOUT_THE_OBJECT,
    /** The origin answered an error a stale copy may stand in for (a 5xx, RFC 9111 4.2.4). */
    ORIGIN_ERROR
  }

  ProbeAnswer {
    requireNonNull(meaning, "meaning");
    if ((meaning == Meaning.OBJECT) != (object != null)) {
      throw new IllegalArgumentException(meaning + " with object " + object);
    }
  }

  static ProbeAnswer read(HttpResponse response, HttpHeaders clientHeaders, CacheKey key, LongSupplier versions,
      int sliceSize, long maxObjectBytes, CacheRules rules, long requestTimeMillis,
      long responseTimeMillis) {
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
      return notAboutTheObject("range not satisfiable");
    } else if (CachePolicy.originError(status)) {
      return new ProbeAnswer(Meaning.ORIGIN_ERROR, null, 0, 0, "origin error " + status);
    } else if (status == 304) {
      return notAboutTheObject("304 to a probe without validators");
    } else {
      length = status == 204 ? 0 : HttpUtil.getContentLength(response, -1L); // a 204 has no body
      if (length < 0) {
        return notStored("no Content-Length");
      }
      if (length > maxObjectBytes) {
        return notStored(NoStoreReason.TOO_LARGE.tag() + " for an origin without ranges");
      }
      first = 0;
      end = length;
    }
    Optional<NoStoreReason> why = rules.whyNotStorable(clientHeaders, status, headers);
    if (why.isPresent()) {
      // Credentials make this answer unshareable, not the object (RFC 9111 3.5): the URL is not
      // passed through for a while, and the next anonymous answer is stored.
      return why.get() == NoStoreReason.AUTHORIZATION
          ? notAboutTheObject(why.get().tag()) : notStored(why.get().tag());
    }
    Variants.varyOnCoding(headers);
    // Stored under the key of the probe's own variant, from this very answer: the clients that
    // waited for it with the same variant read it (the URL's Vary is learnt once it is stored).
    CacheKey storageKey = Variants.storageKey(key, clientHeaders, Variants.names(headers));
    StoredObject object = new StoredObject(storageKey, versions.getAsLong(), status, headers, length, sliceSize,
        requestTimeMillis, responseTimeMillis, CachePolicy.originDate(headers,
        responseTimeMillis), CachePolicy.ageHeader(headers),
        rules.lifetime(storageKey, status, headers, responseTimeMillis), rangeable, rules.directives(headers));
    return new ProbeAnswer(Meaning.OBJECT, object, first, end, null);
  }

  /** Whether it is not stored because the request carried {@code Authorization} (RFC 9111 3.5). */
  boolean refusedForCredentials() {
    return NoStoreReason.AUTHORIZATION.tag().equals(notStored);
  }

  private static ProbeAnswer notStored(String why) {
    return new ProbeAnswer(Meaning.NOT_STORABLE, null, 0, 0, why);
  }

  private static ProbeAnswer notAboutTheObject(String why) {
    return new ProbeAnswer(Meaning.NOT_ABOUT_THE_OBJECT, null, 0, 0, why);
  }
}
