package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The head of an answer from the store ({@link SliceResponder}), which every hit writes: the stored
 * header fields, then the answer's own ({@code Content-Length}, {@code Content-Range} for a range,
 * {@code Age}, {@code Cache-Status}, {@code Via}, {@code Connection} when it must be said).
 *
 * <p>A hit's head shares the stored fields instead of copying them: one array holds the stored
 * pairs, taken once per stored object ({@link StoredObject#replay}), and the answer's own, behind
 * Netty's {@link ReadOnlyHttpHeaders}. The copy it replaces, a header map per hit (an entry per
 * field, a table), cost about 500 B per hit (the allocation guard's memory hit, 3.3 KB, went down
 * by that). The fields, their order and so the bytes sent are the copy's ({@code StoredHeadsTest},
 * {@code StoredHeadBytesTest}): setting a field on the copy removed the stored one and appended the
 * new one at the end, which is where the shared head puts it.
 *
 * <p>Read-only is safe because nothing changes a head once it is built: the access log and the
 * metrics take their values as it is built ({@link ClientRequest#headReady}), and
 * {@code HttpServerCodec}'s encoder only reads it, except for a 1xx, 204 or 205, whose framing
 * fields it removes. Those take the copy, as does a 304 (other fields, RFC 9110 15.4.5), and so
 * does a stored head with a {@code Connection} field, or a {@code Content-Range} when the answer
 * sets one: the copy replaced those in place of appending a second. (Neither is expected: hop-by-hop
 * fields are not stored, and only a 200 is answered by range.)
 */
final class StoredHeads {

  /**
   * Headers for the copy of a stored head, without Netty's per-field validation: they were
   * validated when the origin's response was decoded.
   */
  private static final DefaultHttpHeadersFactory TRUSTED_HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private StoredHeads() {
  }

  /**
   * The head to write, recorded with {@code client} (status, cache status, time to first byte,
   * whether the connection is kept).
   *
   * @param range the range answered, or null for a 304
   * @param cacheStatus the {@code Cache-Status} value
   */
  static HttpResponse head(ClientRequest client, StoredObject object, HttpResponseStatus status,
      @Nullable ByteRange range, long age, String cacheStatus) {
    if (range == null || !shareable(object.headers(), status, range)) {
      HttpResponse head = copied(object, status, range, age, cacheStatus);
      client.prepareHead(head);
      return head;
    }
    CharSequence contentRange = range.outcome() == ByteRange.Outcome.FULL ? null : range.contentRange(object.length());
    HttpResponse head = shared(status, object.replay().pairs(), AsciiNumbers.of(contentLength(object, range)),
        contentRange, AsciiNumbers.of(age), cacheStatus, client.services().via(), client.connectionField());
    client.headReady(status.code(), cacheStatus);
    return head;
  }

  /** Whether the shared head gives the same bytes as the copy, and the encoder leaves it as it is. */
  private static boolean shareable(HttpHeaders stored, HttpResponseStatus status, ByteRange range) {
    return status.codeClass() != HttpStatusClass.INFORMATIONAL && status.code() != 204 && status.code() != 205
        && !stored.contains(HttpHeaderNames.CONNECTION)
        && (range.outcome() == ByteRange.Outcome.FULL || !stored.contains(HttpHeaderNames.CONTENT_RANGE));
  }

  private static long contentLength(StoredObject object, ByteRange range) {
    return switch (range.outcome()) {
      case PARTIAL -> range.length();
      case UNSATISFIABLE -> 0L;
      case FULL -> object.length();
    };
  }

  /**
   * A head sharing {@code stored} (never modified): the stored pairs, then the answer's own fields.
   *
   * @param contentRange the {@code Content-Range} value, or null for none
   * @param connection the {@code Connection} value, or null for none
   */
  static HttpResponse shared(HttpResponseStatus status, CharSequence[] stored, CharSequence contentLength,
      @Nullable CharSequence contentRange, CharSequence age, CharSequence cacheStatus, CharSequence via,
      @Nullable CharSequence connection) {
    CharSequence[] pairs = Arrays.copyOf(stored,
        stored.length + 8 + (contentRange == null ? 0 : 2) + (connection == null ? 0 : 2));
    int i = stored.length;
    pairs[i++] = HttpHeaderNames.CONTENT_LENGTH;
    pairs[i++] = contentLength;
    if (contentRange != null) {
      pairs[i++] = HttpHeaderNames.CONTENT_RANGE;
      pairs[i++] = contentRange;
    }
    pairs[i++] = HttpHeaderNames.AGE;
    pairs[i++] = age;
    pairs[i++] = CacheStatus.HEADER;
    pairs[i++] = cacheStatus;
    pairs[i++] = HttpHeaderNames.VIA;
    pairs[i++] = via;
    if (connection != null) {
      pairs[i++] = HttpHeaderNames.CONNECTION;
      pairs[i] = connection;
    }
    // No validation: the stored fields were validated on arrival, the others are the gateway's.
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, new ReadOnlyHttpHeaders(false, pairs));
  }

  /**
   * A head on a copy of the stored fields (a 304, or a head the shared one cannot stand for), the
   * {@code Via} and {@code Connection} fields still to be added ({@link ClientRequest#prepareHead}).
   *
   * @param range the range answered, or null for a 304
   */
  static HttpResponse copied(StoredObject object, HttpResponseStatus status, @Nullable ByteRange range, long age,
      String cacheStatus) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status,
        range == null ? notModifiedHeaders(object.headers()) : TRUSTED_HEADERS.newHeaders().set(object.headers()));
    if (range != null) {
      head.headers().set(HttpHeaderNames.CONTENT_LENGTH, AsciiNumbers.of(contentLength(object, range)));
      if (range.outcome() != ByteRange.Outcome.FULL) {
        head.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(object.length()));
      }
    }
    head.headers().set(HttpHeaderNames.AGE, AsciiNumbers.of(age)); // RFC 9111 5.1: from storage, with its age
    head.headers().set(CacheStatus.HEADER, cacheStatus);
    return head;
  }

  /** RFC 9110 15.4.5: a 304 carries the validators and caching fields, not the representation's. */
  private static HttpHeaders notModifiedHeaders(HttpHeaders stored) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (CharSequence name : new CharSequence[] {HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.CONTENT_LOCATION,
        HttpHeaderNames.DATE, HttpHeaderNames.ETAG, HttpHeaderNames.EXPIRES, HttpHeaderNames.VARY,
        HttpHeaderNames.LAST_MODIFIED}) {
      if (stored.contains(name)) {
        headers.set(name, stored.getAll(name));
      }
    }
    return headers;
  }
}
