package fr.acclermont.gateway.metrics;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.core.metrics.Info;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Every meter of the gateway, named once here (DESIGN.md "Metrics contract").
 *
 * <p>Hot-path methods look meters up in small pre-filled maps rather than building {@code Tags} per
 * call. Thread-safe: called from every event loop.
 */
public final class GatewayMetrics {

  /** About a dozen explicit buckets from 1 ms to 60 s: hundreds of schools share one Prometheus. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(30), Duration.ofSeconds(60)
  };

  private final PrometheusMeterRegistry registry;
  private final Map<CacheOutcome, Timer> firstByte = new EnumMap<>(CacheOutcome.class);
  private final Map<ByteSource, Counter> servedBytes = new EnumMap<>(ByteSource.class);
  /**
   * The request timers, one per (status, cache outcome, method tag), made on first use. An array
   * indexed by those three rather than a map: no boxed key and no lambda per request (allocation
   * guard). Statuses outside 100..599 share the last row (they are refused earlier anyway).
   */
  private final AtomicReferenceArray<Timer> requestTimers =
      new AtomicReferenceArray<>(STATUS_ROWS * CacheOutcome.values().length * 3);
  private static final int STATUS_ROWS = 501;
  /** {@code CacheOutcome.values().length}, read once: {@code values()} copies its array at each call. */
  private static final int OUTCOMES = CacheOutcome.values().length;
  /** Micrometer's name of the process CPU time in nanoseconds, replaced by {@code process_cpu_seconds_total}. */
  private static final String PROCESS_CPU_TIME_NS = "process.cpu.time";
  private final Map<String, Timer> originTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> originBytes = new ConcurrentHashMap<>();
  private final Map<CacheTier, Counter> evictions = new ConcurrentHashMap<>();
  private final Map<String, Counter> originProbes = new ConcurrentHashMap<>();
  private final Map<String, Counter> originTlsHandshakes = new ConcurrentHashMap<>();
  /** ok, failed; set once by {@link #registerClientTls} before the HTTPS listener accepts. */
  private final Counter[] clientTlsHandshakes = new Counter[2];
  private final Map<StaleReason, Counter> staleResponses = new EnumMap<>(StaleReason.class);
  private final Map<DenialReason, Counter> entitlementDenials = new EnumMap<>(DenialReason.class);
  private final Map<String, Counter> entitlementChecks = new HashMap<>();
  private final Counter coalesced;
  private final Counter http2Streams;
  private final Counter accessLogDropped;
  private final AtomicLong connectionsActive = new AtomicLong();

  /**
   * Creates the registry and the fixed meters.
   *
   * @param version the gateway's version, for {@code gateway_build_info}
   * @param school the school label, for {@code gateway_build_info}
   */
  public GatewayMetrics(String version, String school) {
    requireNonNull(version, "version");
    requireNonNull(school, "school");
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // ProcessorMetrics' CPU time is in nanoseconds (process_cpu_time_ns_total, which promtool
    // refuses: not a base unit); registerProcessCpu exports it in seconds under Prometheus's own name.
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals(PROCESS_CPU_TIME_NS)));
    for (CacheOutcome outcome : CacheOutcome.values()) {
      firstByte.put(outcome, latencyTimer("gateway.first.byte", "Time to the first byte of the response")
          .tag("cache", outcome.tag())
          .register(registry));
    }
    for (ByteSource source : ByteSource.values()) {
      servedBytes.put(source, Counter.builder("gateway.served.bytes")
          .description("Body bytes sent to clients, by where they were when sent")
          .tag("source", source.tag())
          .register(registry));
    }
    coalesced = Counter.builder("gateway.coalesced.requests")
        .description("Requests that joined an origin fetch already in flight")
        .register(registry);
    http2Streams = Counter.builder("gateway.http2.streams")
        .description("HTTP/2 streams opened by clients (each carries one request)")
        .register(registry);
    accessLogDropped = Counter.builder("gateway.access.log.dropped")
        .description("Access log lines dropped: written slower than requests ended, or the write failed")
        .register(registry);
    Gauge.builder("gateway.connections.active", connectionsActive, AtomicLong::get)
        .description("Client connections currently open")
        .register(registry);
    for (StaleReason reason : StaleReason.values()) {
      staleResponses.put(reason, Counter.builder("gateway.stale.responses")
          .description("Responses served from a stale copy standing in for an origin down, in error or out of reach")
          .tag("reason", reason.tag())
          .register(registry));
    }
    for (DenialReason reason : DenialReason.values()) {
      entitlementDenials.put(reason, Counter.builder("gateway.entitlement.denied")
          .description("Requests under an entitlement rule refused with 403, by reason")
          .tag("reason", reason.tag())
          .register(registry));
    }
    for (String answer : List.of("yes", "no", "error")) {
      entitlementChecks.put(answer, Counter.builder("gateway.entitlement.checks")
          .description("Questions sent to auth-forward entitlement endpoints, by answer (yes, no, error)")
          .tag("answer", answer)
          .register(registry));
    }
    // An info metric, one series per instance. Registered on the Prometheus registry itself: it is
    // an info in OpenMetrics, and never depends on how Micrometer's naming treats an "_info" suffix.
    Info.builder()
        .name("gateway_build_info")
        .help("Build and deployment information: the gateway's version and the school it serves")
        .labelNames("version", "school")
        .register(registry.getPrometheusRegistry())
        .setLabelValues(version, school);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    registerProcessCpu();
  }

  /**
   * {@code process_cpu_seconds_total}: the CPU time the JVM used, in seconds (the name Prometheus's
   * own client libraries export). Absent where the JVM does not tell it (the bean is not
   * {@code com.sun.management}'s, or answers -1).
   */
  private void registerProcessCpu() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.OperatingSystemMXBean bean) || bean.getProcessCpuTime() < 0) {
      return;
    }
    FunctionCounter.builder("process.cpu", bean, b -> b.getProcessCpuTime() / 1e9)
        .description("CPU time used by the Java Virtual Machine process")
        .baseUnit("seconds")
        .register(registry);
  }

  private static Timer.Builder latencyTimer(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS);
  }

  /**
   * Exports the memory the allocator holds as {@code netty_allocator_memory_used_bytes{memory_type}}
   * ({@code direct}, {@code heap}). One allocator per registry (the gateway has one). Not
   * Micrometer's {@code NettyAllocatorMetrics}: its {@code id} label is the allocator's identity
   * hash, a new value at every start (a new series per restart), and its gauges have no unit nor help.
   */
  public void bindAllocator(ByteBufAllocator allocator) {
    if (!(allocator instanceof ByteBufAllocatorMetricProvider provider)) {
      return;
    }
    ByteBufAllocatorMetric metric = provider.metric();
    Gauge.builder("netty.allocator.memory.used", metric, ByteBufAllocatorMetric::usedDirectMemory)
        .description("Direct memory held by Netty's allocator: the memory tier's slices and I/O buffers")
        .baseUnit("bytes")
        .tag("memory_type", "direct")
        .register(registry);
    Gauge.builder("netty.allocator.memory.used", metric, ByteBufAllocatorMetric::usedHeapMemory)
        .description("Heap memory held by Netty's allocator")
        .baseUnit("bytes")
        .tag("memory_type", "heap")
        .register(registry);
  }

  /**
   * Exports the bytes held by one cache tier as {@code gateway_cache_bytes{tier}}, its configured
   * budget as {@code gateway_cache_max_bytes{tier}}, and counts its evictions
   * ({@code gateway_cache_evictions_total{tier}}, see {@link #evicted}).
   *
   * @param maxBytes the tier's configured bound ({@code cache.memory.max-bytes}, {@code cache.disk.max-bytes})
   */
  public <T> void registerTier(CacheTier tier, T state, ToDoubleFunction<T> bytes, long maxBytes) {
    Gauge.builder("gateway.cache.bytes", state, bytes)
        .description("Bytes held by a cache tier")
        .baseUnit("bytes")
        .tag("tier", tier.tag())
        .register(registry);
    Gauge.builder("gateway.cache.max", () -> maxBytes)
        .description("The configured budget of a cache tier: gateway_cache_bytes / gateway_cache_max_bytes is how full it is")
        .baseUnit("bytes")
        .tag("tier", tier.tag())
        .register(registry);
    evictions.computeIfAbsent(tier, t -> Counter.builder("gateway.cache.evictions")
        .description("Slices evicted from a cache tier to make room (disk: slice files, an evicted object's included)")
        .tag("tier", t.tag())
        .register(registry));
  }

  /**
   * Exports the statistics of the Caffeine cache behind a tier with Micrometer's standard cache
   * meters, tagged {@code cache=<tier>} (STYLE M7): {@code cache_gets_total{result=hit|miss}},
   * {@code cache_puts_total}, {@code cache_evictions_total}, {@code cache_eviction_weight_total} and
   * {@code cache_size}. The cache must be built with {@code recordStats()}. Its hits and misses
   * count lookups of the tier's index (a request looks up several times), not requests: the
   * request hit ratio comes from {@code gateway_requests_seconds{cache}}.
   */
  public void bindCache(CacheTier tier, Cache<?, ?> cache) {
    CaffeineCacheMetrics.monitor(registry, cache, tier.tag());
  }

  /**
   * Exports the disk tier's health: files removed at start-up ({@code gateway_disk_removed_files}),
   * slices dropped when read ({@code gateway_disk_corrupt_reads}), failed writes
   * ({@code gateway_disk_write_errors}), whether writes are failing now
   * ({@code gateway_disk_writes_failing}, 0 or 1), whether the start-up index load is done
   * ({@code gateway_disk_index_loaded}, 0 while it runs, then 1) and how long it took
   * ({@code gateway_disk_index_load_seconds}, NaN until it is done: no load has finished yet). Counts
   * read from the tier, so they are gauges of monotonic values.
   *
   * @param loaded 1 once the start-up index load is done, 0 while it runs
   * @param loadSeconds the load's duration; read only once {@code loaded} is 1
   */
  public <T> void registerDisk(T tier, ToDoubleFunction<T> removedAtLoad, ToDoubleFunction<T> corruptReads,
      ToDoubleFunction<T> writeErrors, ToDoubleFunction<T> writesFailing, ToDoubleFunction<T> loaded,
      ToDoubleFunction<T> loadSeconds) {
    Gauge.builder("gateway.disk.writes.failing", tier, writesFailing)
        .description("1 while disk writes fail (full disk, I/O errors) and nothing new is stored on disk")
        .register(registry);
    FunctionCounter.builder("gateway.disk.removed.files", tier, removedAtLoad)
        .description("Corrupt, partial or orphaned disk cache files removed at start-up")
        .register(registry);
    FunctionCounter.builder("gateway.disk.corrupt.reads", tier, corruptReads)
        .description("Disk cache slices found unreadable or corrupt when read, then fetched again")
        .register(registry);
    FunctionCounter.builder("gateway.disk.write.errors", tier, writeErrors)
        .description("Disk cache writes that failed (full disk, I/O error)")
        .register(registry);
    Gauge.builder("gateway.disk.index.loaded", tier, loaded)
        .description("1 once the start-up disk index rebuild is done, 0 while it runs (the gateway serves meanwhile)")
        .register(registry);
    // NaN, not a marker value, while loading: no rebuild has finished, and a comparison or an
    // average over it is never a false duration. gateway_disk_index_loaded tells the state.
    Gauge.builder("gateway.disk.index.load", tier, t -> loaded.applyAsDouble(t) == 1 ? loadSeconds.applyAsDouble(t) : Double.NaN)
        .description("Time the start-up disk index rebuild took; NaN while it runs (see gateway_disk_index_loaded)")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * Exports the variants passed through unstored because their URL held {@code cache.max-variants}
   * variants already, as {@code gateway_cache_variants_refused_total}.
   */
  public <T> void registerVariants(T variants, ToDoubleFunction<T> refused) {
    FunctionCounter.builder("gateway.cache.variants.refused", variants, refused)
        .description("Variants of a URL passed through unstored: the URL held cache.max-variants variants already")
        .register(registry);
  }

  /**
   * Exports the misses passed through unstored because their URL had not had {@code cache.min-uses}
   * requests yet, as {@code gateway_cache_min_uses_passed_total}.
   */
  public <T> void registerMinUses(T minUses, ToDoubleFunction<T> passed) {
    FunctionCounter.builder("gateway.cache.min.uses.passed", minUses, passed)
        .description("Misses passed through unstored: their URL had fewer than cache.min-uses requests within 10 minutes")
        .register(registry);
  }

  /**
   * Exports the slices the disk tier did not write because its write queue was full (the disk could
   * not keep up with the fills) as {@code gateway_disk_writes_skipped_total}.
   */
  public <T> void registerDiskSkips(T tier, ToDoubleFunction<T> skipped) {
    FunctionCounter.builder("gateway.disk.writes.skipped", tier, skipped)
        .description("Slices not stored on disk because the disk could not keep up (write queue full)")
        .register(registry);
  }

  /**
   * Exports whether an origin is reachable as {@code gateway_origin_up{origin}}: 1 up, 0 down; and
   * its {@code gateway_origin_bytes_total{origin}} from 0, so that rates over it (uplink bytes
   * saved) exist before its first byte.
   *
   * @param up reads the state: 1 or 0
   */
  public <T> void registerOrigin(String origin, T health, ToDoubleFunction<T> up) {
    Gauge.builder("gateway.origin.up", health, up)
        .description("1 while an origin is reachable, 0 while it is found down and probed")
        .tag("origin", origin)
        .register(registry);
    originBytesCounter(origin);
  }

  /**
   * Exports whether one of an origin's parents is reachable as
   * {@code gateway_parent_up{origin,parent}}: 1 up, 0 down (and skipped, the next parent or the
   * origin asked instead).
   *
   * @param parent the parent's URL
   * @param up reads the state: 1 or 0
   */
  public <T> void registerParent(String origin, String parent, T health, ToDoubleFunction<T> up) {
    Gauge.builder("gateway.parent.up", health, up)
        .description("1 while a parent cache of an origin is reachable, 0 while it is found down, skipped and probed")
        .tag("origin", origin)
        .tag("parent", parent)
        .register(registry);
  }

  /**
   * Stops exporting {@code gateway_origin_up} and {@code gateway_parent_up} of an origin a reload
   * removed or replaced (its counters stay: they only grow). A replaced origin's new route
   * registers again with {@link #registerOrigin}.
   */
  public void removeOrigin(String origin) {
    Gauge up = registry.find("gateway.origin.up").tag("origin", origin).gauge();
    if (up != null) {
      registry.remove(up);
    }
    for (Gauge parent : registry.find("gateway.parent.up").tag("origin", origin).gauges()) {
      registry.remove(parent);
    }
  }

  /** Counts a probe of a down origin, by whether it found it up ({@code gateway_origin_probes_total}). */
  public void originProbe(String origin, boolean up) {
    String outcome = up ? "up" : "down";
    originProbes.computeIfAbsent(origin + '\0' + outcome, k -> Counter.builder("gateway.origin.probes")
            .description("Probes sent to an origin found down, by what they found")
            .tag("origin", origin)
            .tag("outcome", outcome)
            .register(registry))
        .increment();
  }

  /**
   * Exports {@code gateway_origin_tls_handshakes_total{origin,outcome}} from 0 for every outcome of
   * an {@code https} origin, so that rates and alerts over it exist before the first failure.
   */
  public void registerOriginTls(String origin) {
    for (TlsOutcome outcome : TlsOutcome.values()) {
      tlsHandshakeCounter(origin, outcome);
    }
  }

  /**
   * Counts a TLS handshake with an origin by how it ended
   * ({@code gateway_origin_tls_handshakes_total}). Once per new connection: a pooled connection is
   * reused without one.
   */
  public void originTlsHandshake(String origin, TlsOutcome outcome) {
    tlsHandshakeCounter(origin, outcome).increment();
  }

  private Counter tlsHandshakeCounter(String origin, TlsOutcome outcome) {
    return originTlsHandshakes.computeIfAbsent(origin + '\0' + outcome.tag(), k -> Counter.builder("gateway.origin.tls.handshakes")
        .description("TLS handshakes with an origin, by outcome: ok, or why the certificate or the handshake failed")
        .tag("origin", origin)
        .tag("outcome", outcome.tag())
        .register(registry));
  }

  /**
   * Exports {@code gateway_client_tls_handshakes_total{outcome}} from 0 for {@code ok} and
   * {@code failed}; called when the HTTPS listener starts (without it, the metric is absent).
   */
  public void registerClientTls() {
    clientTlsHandshakes[0] = clientTlsCounter("ok");
    clientTlsHandshakes[1] = clientTlsCounter("failed");
  }

  /**
   * Counts a TLS handshake of a client on the HTTPS listener ({@code
   * gateway_client_tls_handshakes_total{outcome=ok|failed}}): failed covers plain HTTP sent to the
   * TLS port, a client refusing the certificate, an old TLS version, a handshake cut or timed out.
   */
  public void clientTlsHandshake(boolean ok) {
    Counter counter = clientTlsHandshakes[ok ? 0 : 1];
    if (counter != null) {
      counter.increment();
    }
  }

  private Counter clientTlsCounter(String outcome) {
    return Counter.builder("gateway.client.tls.handshakes")
        .description("TLS handshakes of clients on the HTTPS listener, by outcome: ok or failed")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Counts a response served from a stale copy standing in for its origin. */
  public void staleResponse(StaleReason reason) {
    staleResponses.get(reason).increment();
  }

  /** Records one request refused by an entitlement rule. */
  public void entitlementDenied(DenialReason reason) {
    entitlementDenials.get(reason).increment();
  }

  /**
   * Records one question sent to an auth-forward entitlement endpoint and how it ended:
   * {@code yes}, {@code no} or {@code error} (no usable answer).
   */
  public void entitlementCheck(String answer) {
    entitlementChecks.get(answer).increment();
  }

  /** Records one finished client request. */
  public void request(String method, int status, CacheOutcome outcome, long durationNanos) {
    int methodIndex = "GET".equals(method) ? 0 : "HEAD".equals(method) ? 1 : 2;
    int row = Math.min(Math.max(status - 100, 0), STATUS_ROWS - 1);
    int index = (row * OUTCOMES + outcome.ordinal()) * 3 + methodIndex;
    Timer timer = requestTimers.get(index);
    if (timer == null) {
      String methodTag = methodIndex == 0 ? "GET" : methodIndex == 1 ? "HEAD" : "OTHER";
      timer = latencyTimer("gateway.requests", "Client requests, end to end")
          .tag("method", methodTag)
          .tag("status", Integer.toString(status))
          .tag("cache", outcome.tag())
          .register(registry); // idempotent: a racing thread gets the same meter
      requestTimers.set(index, timer);
    }
    timer.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** Records the time from a request's arrival to its first response byte. */
  public void firstByte(CacheOutcome outcome, long nanos) {
    firstByte.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts body bytes sent to a client. */
  public void served(ByteSource source, long bytes) {
    servedBytes.get(source).increment(bytes);
  }

  /** Records one origin request and how it ended. */
  public void originRequest(String origin, OriginOutcome outcome, long nanos) {
    originTimers.computeIfAbsent(origin + '\0' + outcome.tag(), k ->
            latencyTimer("gateway.origin.requests", "Requests sent to an origin, until their last byte")
                .tag("origin", origin)
                .tag("outcome", outcome.tag())
                .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts body bytes received from an origin. */
  public void originBytes(String origin, long bytes) {
    originBytesCounter(origin).increment(bytes);
  }

  private Counter originBytesCounter(String origin) {
    return originBytes.computeIfAbsent(origin, o -> Counter.builder("gateway.origin.bytes")
        .description("Body bytes received from an origin")
        .tag("origin", o)
        .register(registry));
  }

  /** Counts a request that joined a fetch already in flight. */
  public void coalesced() {
    coalesced.increment();
  }

  /** Counts an access log line dropped ({@code gateway_access_log_dropped_total}). */
  public void accessLogDropped() {
    accessLogDropped.increment();
  }

  /**
   * Counts a slice evicted from a tier registered with {@link #registerTier} (an object's metadata
   * evicted is not a slice: the disk tier counts the slice files removed with it instead).
   */
  public void evicted(CacheTier tier) {
    Counter counter = evictions.get(tier);
    if (counter != null) {
      counter.increment();
    }
  }

  /** Notes an HTTP/2 stream opened by a client (gateway_http2_streams_total). */
  public void http2StreamOpened() {
    http2Streams.increment();
  }

  /** Notes a client connection opening. */
  public void connectionOpened() {
    connectionsActive.incrementAndGet();
  }

  /** Notes a client connection closing. */
  public void connectionClosed() {
    connectionsActive.decrementAndGet();
  }

  // ---- Purges (the management port's POST /purge) ----

  /** {@code gateway_purges_total} by kind; set once by {@link #registerPurges}. */
  private volatile Map<String, Counter> purges = Map.of();

  /** Exports {@code gateway_purges_total{kind}} from 0 for both kinds, {@code url} and {@code prefix}. */
  public void registerPurges() {
    Map<String, Counter> byKind = new HashMap<>();
    for (String kind : List.of("url", "prefix")) {
      byKind.put(kind, Counter.builder("gateway.purges")
          .description("Purges done on the management port, by kind (url: every variant of one URL; prefix: every object under a path)")
          .tag("kind", kind)
          .register(registry));
    }
    purges = Map.copyOf(byKind);
  }

  /** Counts one purge done, of kind {@code url} or {@code prefix}. */
  public void purged(String kind) {
    Counter counter = purges.get(kind);
    if (counter != null) {
      counter.increment();
    }
  }

  // ---- Prefetch (prefetch.lists) ----

  /**
   * Exports prefetching's progress: {@code gateway_prefetch_bytes_total}, the body bytes prefetch
   * fetches received from origins since start-up, and {@code gateway_prefetch_objects{state}}, the
   * objects of the current (or last) run: {@code done} (found fresh, revalidated or fetched),
   * {@code failed} and {@code total} (known so far). Read from the prefetcher.
   */
  public <T> void registerPrefetch(T prefetcher, ToDoubleFunction<T> bytes, ToDoubleFunction<T> done,
      ToDoubleFunction<T> failed, ToDoubleFunction<T> total) {
    FunctionCounter.builder("gateway.prefetch.bytes", prefetcher, bytes)
        .description("Body bytes prefetch fetches received from origins")
        .register(registry);
    Map<String, ToDoubleFunction<T>> states = Map.of("done", done, "failed", failed, "total", total);
    states.forEach((state, value) -> Gauge.builder("gateway.prefetch.objects", prefetcher, value)
        .description("Objects of the current or last prefetch run: done (fresh, revalidated or fetched), failed, total")
        .tag("state", state)
        .register(registry));
  }

  /** The registry, for binders and tests. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
