package fr.acclermont.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the {@code cache.overrides} list: each override's keys, and the rules that span overrides
 * (each prefix once). Stateless and thread-safe.
 */
final class OverridesBinder {

  /** The keys of one override, in the order they are read and documented. */
  static final List<String> KEYS = List.of("path", "fresh-for", "offline");

  private static final String OVERRIDES_FORM =
      "a list of overrides, each with a path and fresh-for, offline: true or both";
  private static final String OVERRIDE_FORM =
      "a map with a path and fresh-for, offline: true or both, such as"
          + " { path: /books/v/, fresh-for: 30d }";

  private OverridesBinder() {}

  /** Reads the overrides; absent, {@code ~} or {@code []} gives {@link PathOverrides#NONE}. */
  static PathOverrides bind(ConfigReader overrides) {
    if (!overrides.isPresent()) {
      return PathOverrides.NONE;
    }
    List<ConfigReader> items = overrides.items(OVERRIDES_FORM);
    if (items.isEmpty()) {
      return PathOverrides.NONE;
    }
    Map<String, String> itemOfPrefix = new HashMap<>();
    List<PathOverride> result = new ArrayList<>(items.size());
    for (ConfigReader item : items) {
      PathOverride override = override(item.map(KEYS));
      String previous = itemOfPrefix.putIfAbsent(override.pathPrefix(), item.path());
      if (previous != null) {
        ConfigReader path = item.child("path");
        throw path.fail(path.describe()
            + " (expected a prefix listed only once; " + previous + " already lists it)");
      }
      result.add(override);
    }
    return new PathOverrides(result);
  }

  private static PathOverride override(ConfigReader override) {
    if (KEYS.stream().noneMatch(key -> override.child(key).isPresent())) {
      throw override.fail(override.describe() + " (expected " + OVERRIDE_FORM + ")");
    }
    ConfigReader path = override.child("path");
    if (!path.isPresent()) {
      throw path.fail("required (expected " + OriginsBinder.PREFIX_FORM + ")");
    }
    PathOverride result = new PathOverride(
        path.text(OriginsBinder.PREFIX_FORM, OriginsBinder::isPrefix),
        override.child("fresh-for").isPresent()
            ? override.child("fresh-for").duration(Duration.ZERO, ConfigBinder.MAX_LIFETIME)
            : null,
        override.bool("offline", false));
    if (result.freshFor() == null && !result.offline()) {
      // An override that changes nothing is a mistake: the operator meant it to do something.
      throw override.fail("changes nothing for " + Messages.quote(result.pathPrefix())
          + " (expected fresh-for, offline: true or both)");
    }
    return result;
  }
}
