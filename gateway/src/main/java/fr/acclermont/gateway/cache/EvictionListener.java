package fr.acclermont.gateway.cache;

/**
 * Told by a {@link Tier} of each slice it evicted for room (not one replaced, invalidated or
 * purged), for metrics: {@code gateway_cache_evictions_total{tier}}. The disk tier also counts the
 * slice files removed with an object's evicted metadata, never the metadata itself.
 */
@FunctionalInterface
public interface EvictionListener {

  /** Called once per evicted slice, from the tier's maintenance thread (never an event loop's task). */
  void sliceEvicted();
}
