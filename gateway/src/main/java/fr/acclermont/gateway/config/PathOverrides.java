package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The operator's caching overrides ({@code cache.overrides}), and the choice of the one that
 * applies to a request path: the longest prefix that matches, as origins are chosen. Immutable
 * and thread-safe.
 */
public final class PathOverrides {

  /** No overrides: {@link #find(String)} always returns {@code null}. It is the default. */
  public static final PathOverrides NONE = new PathOverrides(List.of());

  /** The overrides in configuration order. */
  private final List<PathOverride> list;
  /** The same overrides, longest prefix first, so that the first match is the longest. */
  private final List<PathOverride> longestFirst;

  /**
   * Creates the overrides from a list, copied.
   *
   * @param overrides the overrides, each prefix at most once
   * @throws IllegalArgumentException if two overrides have the same prefix
   */
  public PathOverrides(List<PathOverride> overrides) {
    this.list = List.copyOf(requireNonNull(overrides, "overrides"));
    Set<String> prefixes = new HashSet<>();
    for (PathOverride override : list) {
      if (!prefixes.add(override.pathPrefix())) {
        throw new IllegalArgumentException(
            "overrides: " + Messages.quote(override.pathPrefix()) + " (expected each prefix once)");
      }
    }
    List<PathOverride> sorted = new ArrayList<>(list);
    sorted.sort(Comparator.comparingInt((PathOverride o) -> o.pathPrefix().length()).reversed());
    this.longestFirst = List.copyOf(sorted);
  }

  /**
   * Returns the override that applies to a request path: the one with the longest prefix that the
   * path starts with.
   *
   * @param path a request path without query, such as {@code /books/v/3/page.pdf}
   * @return the override, or {@code null} if no prefix matches
   */
  public @Nullable PathOverride find(String path) {
    requireNonNull(path, "path");
    for (PathOverride override : longestFirst) {
      if (path.startsWith(override.pathPrefix())) {
        return override;
      }
    }
    return null;
  }

  /**
   * Returns the overrides in configuration order.
   *
   * @return an immutable list, empty for {@link #NONE}
   */
  public List<PathOverride> list() {
    return list;
  }

  /** Two {@code PathOverrides} are equal if their lists, in configuration order, are equal. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PathOverrides that && list.equals(that.list);
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    return "PathOverrides" + list;
  }
}
