package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.ByteRange;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.ConditionalRequests;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.ByteSource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Answers from the memory tier: the stored head with {@code Age}, then the body as retained
 * duplicates of the stored slices (no copy), written as far as the client's connection is writable.
 *
 * <p>All slices are acquired before the head is written, so an eviction during the response can
 * never cut it short: a copy that lost a slice is a miss, decided before anything is sent.
 */
final class HitResponder implements Responder {

  private final ClientRequest client;
  private final StoredObject stored;
  private final ArrayDeque<ByteBuf> slices;
  private boolean headWritten;

  private HitResponder(ClientRequest client, StoredObject stored, ArrayDeque<ByteBuf> slices) {
    this.client = client;
    this.stored = stored;
    this.slices = slices;
  }

  /** Takes a reference to every slice of {@code stored}, or returns null if one is gone. */
  static @Nullable HitResponder acquire(ClientRequest client, StoredObject stored) {
    ArrayDeque<ByteBuf> slices = new ArrayDeque<>(stored.sliceCount());
    for (int i = 0; i < stored.sliceCount(); i++) {
      ByteBuf slice = client.services().memory().acquireSlice(stored.slice(i));
      if (slice == null) {
        slices.forEach(ByteBuf::release);
        return null;
      }
      slices.add(slice);
    }
    return new HitResponder(client, stored, slices);
  }

  @Override
  public void start() {
    ChannelHandlerContext ctx = client.ctx();
    long now = client.services().clock().millis();
    HttpHeaders requestHeaders = client.request().headers();
    boolean notModified = ConditionalRequests.notModified(requestHeaders, stored.headers());
    ByteRange range = notModified || !HttpMethod.GET.equals(client.method())
        || !ConditionalRequests.ifRangeMatches(requestHeaders, stored.headers())
        ? ByteRange.of(null, stored.length())
        : ByteRange.of(requestHeaders.get(HttpHeaderNames.RANGE), stored.length());
    HttpResponseStatus status = notModified ? HttpResponseStatus.NOT_MODIFIED
        : switch (range.outcome()) {
          case PARTIAL -> HttpResponseStatus.PARTIAL_CONTENT;
          case UNSATISFIABLE -> HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
          case FULL -> HttpResponseStatus.valueOf(stored.status());
        };
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status,
        notModified ? notModifiedHeaders(stored.headers()) : new DefaultHttpHeaders().set(stored.headers()));
    head.headers()
        .set(HttpHeaderNames.AGE, stored.age(now))
        .set(CacheStatus.HEADER, client.services().cacheStatus().hit(stored.ttl(now)));
    if (!notModified) {
      head.headers().set(HttpHeaderNames.CONTENT_LENGTH, switch (range.outcome()) {
        case PARTIAL -> range.length();
        case UNSATISFIABLE -> 0L;
        case FULL -> stored.length();
      });
      if (range.outcome() != ByteRange.Outcome.FULL) {
        head.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(stored.length()));
      }
    }
    client.prepareHead(head);
    ctx.write(head);
    headWritten = true;
    if (notModified || HttpMethod.HEAD.equals(client.method()) || range.outcome() == ByteRange.Outcome.UNSATISFIABLE) {
      releaseSlices();
    } else if (range.outcome() == ByteRange.Outcome.PARTIAL) {
      keepOnly(range.first(), range.last());
    }
    writeBody();
  }

  /** Cuts the acquired slices down to the bytes {@code [first, last]} of the body. */
  private void keepOnly(long first, long last) {
    ArrayDeque<ByteBuf> parts = new ArrayDeque<>();
    long base = 0;
    ByteBuf slice;
    while ((slice = slices.poll()) != null) {
      long sliceEnd = base + slice.readableBytes(); // exclusive
      long from = Math.max(first, base);
      long to = Math.min(last + 1, sliceEnd);
      if (from < to) {
        parts.add(slice.retainedSlice(slice.readerIndex() + (int) (from - base), (int) (to - from)));
      }
      slice.release();
      base = sliceEnd;
    }
    slices.addAll(parts);
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

  private void writeBody() {
    ChannelHandlerContext ctx = client.ctx();
    while (!slices.isEmpty() && ctx.channel().isWritable()) {
      ByteBuf slice = slices.poll();
      client.metrics().served(ByteSource.MEMORY, slice.readableBytes());
      ctx.write(new DefaultHttpContent(slice)).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      if (!slices.isEmpty()) {
        ctx.flush();
      }
    }
    if (slices.isEmpty()) {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
        if (f.isSuccess()) {
          client.finish();
        } else {
          client.abort();
        }
      });
    }
  }

  @Override
  public void onWritable() {
    if (headWritten && !slices.isEmpty()) {
      writeBody();
    }
  }

  @Override
  public void onClientClosed() {
    releaseSlices();
  }

  private void releaseSlices() {
    ByteBuf slice;
    while ((slice = slices.poll()) != null) {
      slice.release();
    }
  }
}
