package fr.acclermont.gateway.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the stateful test hooks remember: how many requests each path has received with a given
 * hook and value ({@code version-after=N}, {@code reset-once-at=OFFSET}). Counts are per path
 * and hook, so two tests on different paths never disturb each other.
 *
 * <p>Shared by every connection of one origin; thread-safe. Not cleared by a stats reset: a test
 * that wants a fresh count uses a fresh path. Grows by one entry per (path, hook) used.
 */
final class HookMemory {

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  /**
   * Counts one more use of {@code hook} (name and value, e.g. {@code version-after=1}) for
   * {@code path}, and returns how many came before it: 0 the first time.
   */
  long next(String path, String hook) {
    return counts.computeIfAbsent(path + '?' + hook, ignored -> new AtomicLong()).getAndIncrement();
  }

  /** Returns true the first time it is called for {@code path} and {@code hook}, false after. */
  boolean firstTime(String path, String hook) {
    return next(path, hook) == 0;
  }
}
