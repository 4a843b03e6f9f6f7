package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void status_outOfRange_rejected() {
    assertThatThrownBy(() -> Fault.status(99)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status: 99");
    assertThatThrownBy(() -> Fault.resetAfter(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stallAfter_withoutDuration_forever() {
    assertThat(Fault.stallAfter(10).stallsForever()).isTrue();
    assertThat(Fault.stallAfter(10, Duration.ofSeconds(1)).stallsForever()).isFalse();
    assertThat(Fault.none().stallsForever()).isFalse();
  }

  @Test
  void bodyBytesBeforeCut_midBody_atLeastOneByteAndFewerThanAll() {
    assertThat(Fault.resetMidBody(0.5).bodyBytesBeforeCut(1000)).isEqualTo(500);
    assertThat(Fault.resetMidBody(0).bodyBytesBeforeCut(1000)).isEqualTo(1);
    assertThat(Fault.stallMidBody(0.9999, Duration.ofSeconds(1)).bodyBytesBeforeCut(1000)).isEqualTo(999);
    assertThat(Fault.resetMidBody(0.5).bodyBytesBeforeCut(1)).isZero();
    assertThat(Fault.resetMidBody(0.5).bodyBytesBeforeCut(0)).isZero();
  }

  @Test
  void bodyBytesBeforeCut_byBytes_atMostTheBody() {
    assertThat(Fault.resetAfter(10).bodyBytesBeforeCut(1000)).isEqualTo(10);
    assertThat(Fault.stallAfter(10_000, Duration.ofSeconds(1)).bodyBytesBeforeCut(1000)).isEqualTo(1000);
  }

  @Test
  void midBody_fractionOutOfRange_rejected() {
    assertThatThrownBy(() -> Fault.resetMidBody(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("afterFraction: 1.0");
    assertThatThrownBy(() -> Fault.stallMidBody(-0.5, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromQuery_eachHook_matchingFault() {
    assertThat(decide("/b?close-before-headers=1&status=500")).isEqualTo(Fault.closeBeforeHeaders());
    assertThat(decide("/b?status=500&reset-after=3")).isEqualTo(Fault.status(500));
    assertThat(decide("/b?reset-after=3&stall-after=4")).isEqualTo(Fault.resetAfter(3));
    assertThat(decide("/b?stall-after=4")).isEqualTo(Fault.stallAfter(4));
    assertThat(decide("/b?stall-after=4&stall-for=250")).isEqualTo(Fault.stallAfter(4, Duration.ofMillis(250)));
    assertThat(decide("/b?cc=none&close-before-headers=0")).isEqualTo(Fault.none());
  }

  @Test
  void fromQuery_malformedHook_illegalArgumentNamingIt() {
    assertThatThrownBy(() -> decide("/b?reset-after=-5")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reset-after: -5");
    assertThatThrownBy(() -> decide("/b?close-before-headers=maybe")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("close-before-headers");
  }

  private static Fault decide(String uri) {
    return FaultInjector.fromQuery().decide(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
  }
}
