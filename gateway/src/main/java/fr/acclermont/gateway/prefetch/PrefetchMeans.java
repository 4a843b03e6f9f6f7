package fr.acclermont.gateway.prefetch;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.origin.BackgroundFetches;
import fr.acclermont.gateway.origin.FetchRequest;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.server.GatewayServices;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * What the prefetch of each object uses: the gateway's services, the prefetch's thread, the event
 * loop its fetches run on, the rate cap, the size of a run, and the request its fetches send.
 *
 * <p>The request is a typical client's GET: {@code Accept: *}{@code /*}, the configured
 * {@code Accept-Encoding} (so that an origin varying on it gives the variant the tablets ask for),
 * {@code User-Agent: textbook-gateway-prefetch}, the origin's {@code Host} and this gateway's
 * {@code Via}; no credentials (a response that needs them is not prefetched).
 *
 * @param bucket the rate cap; the prefetch's thread only
 * @param pacing the clock of the rate cap and the wait before a fetch it delays
 * @param runBytes the most bytes one fetch asks for
 * @param acceptEncoding the {@code Accept-Encoding} the fetches send ({@code prefetch.accept-encoding})
 * @param bytes told of the body bytes each fetch received
 * @param stopping whether the gateway is stopping
 * @param headersByOrigin the request headers per origin, made once
 */
record PrefetchMeans(GatewayServices services, ScheduledExecutorService executor, EventLoop loop, TokenBucket bucket,
    Pacing pacing, int runBytes, String acceptEncoding, LongConsumer bytes, BooleanSupplier stopping,
    Map<String, HttpHeaders> headersByOrigin) {

  /** The {@code User-Agent} of prefetch requests: an origin's log tells them from the tablets'. */
  static final String USER_AGENT = "textbook-gateway-prefetch";

  PrefetchMeans(GatewayServices services, ScheduledExecutorService executor, EventLoop loop, TokenBucket bucket,
      Pacing pacing, int runBytes, String acceptEncoding, LongConsumer bytes, BooleanSupplier stopping) {
    this(services, executor, loop, bucket, pacing, runBytes, acceptEncoding, bytes, stopping,
        new ConcurrentHashMap<>());
  }

  PrefetchMeans {
    requireNonNull(services, "services");
    requireNonNull(executor, "executor");
    requireNonNull(loop, "loop");
    requireNonNull(bucket, "bucket");
    requireNonNull(pacing, "pacing");
    requireNonNull(acceptEncoding, "acceptEncoding");
    requireNonNull(bytes, "bytes");
    requireNonNull(stopping, "stopping");
  }

  /** The store: what is held, and how much of it. */
  Storage storage() {
    return services.storage();
  }

  /** The fetch side, in background places only. */
  BackgroundFetches fetches() {
    return services.backgroundFetches();
  }

  /** What a fetch of {@code target} sends. */
  FetchRequest request(PrefetchTarget target) {
    OriginRoute route = target.route();
    HttpHeaders headers = headersByOrigin.computeIfAbsent(route.name(), name -> new DefaultHttpHeaders()
        .set(HttpHeaderNames.HOST, route.authority())
        .set(HttpHeaderNames.ACCEPT, "*/*")
        .set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding)
        .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
        .add(HttpHeaderNames.VIA, services.via()));
    return new FetchRequest(route, route.targetFor(target.target()), headers, headers);
  }

  /** Forgets the request headers made: the origins may have changed (a reloaded configuration). */
  void forgetHeaders() {
    headersByOrigin.clear();
  }

  /** A fetch received {@code n} body bytes: taken from the rate cap and counted. */
  void account(long n) {
    if (n > 0) {
      bucket.take(n);
      bytes.accept(n);
    }
  }

  /** Whether the gateway is stopping: no fetch is started any more. */
  boolean closed() {
    return stopping.getAsBoolean();
  }
}
