package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exact bytes the demo origin serves for any path of a seed's catalog (format signatures
 * included: PDF header and trailer, MP4 box, padded text assets), so a load generator or a test
 * can verify any range of any response byte for byte.
 *
 * <p>Thread-safe: one instance per seed is built on first use and shared.
 */
public final class DemoContent {

  /**
   * Version 2 of a resource (test hook {@code version-after}) is the {@link SyntheticContent} of
   * its path followed by this suffix, whatever the resource: {@code /blobs/5MiB/x} becomes the
   * content of the name {@code /blobs/5MiB/x#v2}, of the same length.
   */
  public static final String VERSION_2_SUFFIX = "#v2";

  private static final Map<Long, DemoContent> BY_SEED = new ConcurrentHashMap<>();

  private final ResourceResolver resolver;

  private DemoContent(ResourceResolver resolver) {
    this.resolver = resolver;
  }

  /** The content of the catalog generated from {@code seed}. */
  public static DemoContent of(long seed) {
    return BY_SEED.computeIfAbsent(seed, s -> new DemoContent(new ResourceResolver(Catalog.generate(s))));
  }

  /** The length of the resource at {@code path} (no query string), or -1 if there is none. */
  public long length(String path) {
    return resolver.resolve(requireNonNull(path, "path")).map(Resource::length).orElse(-1L);
  }

  /**
   * Writes bytes {@code [offset, offset + length)} of the resource at {@code path} at the writer
   * index of {@code target}; returns false, writing nothing, when the path or range doesn't exist.
   */
  public boolean fill(ByteBuf target, String path, long offset, int length) {
    requireNonNull(target, "target");
    Optional<Resource> resource = resolver.resolve(requireNonNull(path, "path"));
    if (resource.isEmpty() || offset < 0 || length < 0 || offset + length > resource.get().length()) {
      return false;
    }
    resource.get().source().fill(target, offset, length);
    return true;
  }

  /**
   * As {@link #fill}, for version 2 of the resource (test hook {@code version-after}); returns
   * false, writing nothing, when the path or range doesn't exist.
   */
  public boolean fillVersion2(ByteBuf target, String path, long offset, int length) {
    requireNonNull(target, "target");
    Optional<Resource> resource = resolver.resolve(requireNonNull(path, "path")).map(resolver::version2);
    if (resource.isEmpty() || offset < 0 || length < 0 || offset + length > resource.get().length()) {
      return false;
    }
    resource.get().source().fill(target, offset, length);
    return true;
  }
}
