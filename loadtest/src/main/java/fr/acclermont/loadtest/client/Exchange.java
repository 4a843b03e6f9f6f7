package fr.acclermont.loadtest.client;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** One request from the moment it is queued to its result. Confined to its pool's event loop. */
final class Exchange {

  final RequestSpec spec;
  final long intendedStartNanos;
  final Consumer<RequestResult> callback;
  final ResponseCheck check;
  long sentNanos;
  long firstByteNanos;

  Exchange(RequestSpec spec, long intendedStartNanos, Consumer<RequestResult> callback) {
    this.spec = spec;
    this.intendedStartNanos = intendedStartNanos;
    this.callback = callback;
    this.check = new ResponseCheck(spec);
  }

  /** Returns the result of this exchange ending now, with {@code error} or successfully. */
  RequestResult result(@Nullable ErrorKind error, String detail) {
    return new RequestResult(spec, intendedStartNanos, sentNanos, firstByteNanos, System.nanoTime(),
        check.received(), check.status(), error, detail);
  }
}
