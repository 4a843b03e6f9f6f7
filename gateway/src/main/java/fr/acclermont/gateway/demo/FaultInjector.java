package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpRequest;

/**
 * Decides which {@link Fault}, if any, the origin applies to a request for content
 * ({@code /books/...} and {@code /blobs/...}; never to {@code /_origin/...}).
 *
 * <p>Called on an event loop for every such request, by several threads at once: implementations
 * must be thread-safe and must not block. A random injector for load tests should draw from a
 * thread-safe source such as {@code ThreadLocalRandom}.
 */
@FunctionalInterface
public interface FaultInjector {

  /**
   * Returns the fault for {@code request} (headers only), or {@link Fault#none()}.
   *
   * @throws IllegalArgumentException if the request asks for a fault in a malformed way; the
   *     origin answers 400 with the message
   */
  Fault decide(HttpRequest request);

  /**
   * Returns the default injector, which reads the test hooks of the query string:
   * {@code close-before-headers=1}, {@code status=NNN}, {@code reset-after=BYTES},
   * {@code stall-after=BYTES} (with {@code stall-for=MILLIS} to resume after a pause), in this
   * order of precedence.
   */
  static FaultInjector fromQuery() {
    return QueryFaultInjector.INSTANCE;
  }

  /** Returns an injector that never injects anything, not even on request. */
  static FaultInjector none() {
    return request -> Fault.none();
  }

  /**
   * Returns an injector that asks this one first and {@code fallback} when this one decides
   * {@link Fault.Kind#NONE}; e.g. {@code fromQuery().orElse(randomFaults)} keeps the test hooks
   * working under random faults.
   */
  default FaultInjector orElse(FaultInjector fallback) {
    requireNonNull(fallback, "fallback");
    return request -> {
      Fault fault = decide(request);
      return fault.kind() != Fault.Kind.NONE ? fault : fallback.decide(request);
    };
  }
}
