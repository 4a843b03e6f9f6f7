package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.metrics.StaleReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The exact {@code Cache-Status} values (RFC 9211) the gateway writes, byte for byte. */
class CacheStatusTest {

  private final CacheStatus statuses = new CacheStatus("edge");

  @Test
  void hit_withAndWithoutDetail() {
    assertThat(statuses.hit(42)).isEqualTo("edge; hit; ttl=42");
    assertThat(statuses.hit(42)).isSameAs(statuses.hit(42)); // rendered once per ttl
    assertThat(statuses.diskHit(42)).isEqualTo("edge; hit; ttl=42; detail=disk");
    assertThat(statuses.hit(-5, CacheStatus.Detail.STALE_WHILE_REVALIDATE))
        .isEqualTo("edge; hit; ttl=-5; detail=stale-while-revalidate");
    assertThat(statuses.hit(-5, CacheStatus.Detail.MAX_STALE)).isEqualTo("edge; hit; ttl=-5; detail=max-stale");
    assertThat(statuses.hit(7, CacheStatus.Detail.DISK)).isEqualTo("edge; hit; ttl=7; detail=disk");
  }

  @Test
  void stale_withTheOriginsStatusOrWithout() {
    assertThat(statuses.stale(-30, 503, CacheStatus.Detail.ORIGIN_ERROR))
        .isEqualTo("edge; fwd=stale; fwd-status=503; ttl=-30; detail=origin-error");
    assertThat(statuses.stale(-30, 0, CacheStatus.Detail.ORIGIN_UNREACHABLE))
        .isEqualTo("edge; fwd=stale; ttl=-30; detail=origin-unreachable");
    assertThat(statuses.stale(-30, 0, CacheStatus.Detail.OFFLINE)).isEqualTo("edge; fwd=stale; ttl=-30; detail=offline");
  }

  @ParameterizedTest
  @EnumSource(StaleReason.class)
  void eachStaleReasonHasTheDetailOfTheSameToken(StaleReason reason) {
    CacheStatus.Detail detail = CacheStatus.Detail.valueOf(reason.name());

    assertThat(detail.token()).isEqualTo(reason.tag());
  }

  @Test
  void notForwarded_onlyIfCached() {
    assertThat(statuses.notForwarded(CacheStatus.Detail.ONLY_IF_CACHED)).isEqualTo("edge; detail=only-if-cached");
  }

  @Test
  void forwarded_storedCollapsedPartial() {
    assertThat(statuses.forward(ForwardReason.MISS)).isEqualTo("edge; fwd=miss");
    assertThat(statuses.forward(ForwardReason.METHOD, 201)).isEqualTo("edge; fwd=method; fwd-status=201");
    assertThat(statuses.stored(ForwardReason.MISS, 200)).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
    assertThat(statuses.collapsed(ForwardReason.MISS, 200)).isEqualTo("edge; fwd=miss; fwd-status=200; collapsed");
    assertThat(statuses.partial()).isEqualTo("edge; fwd=partial; stored");
  }
}
