package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Hit-for-pass memory, on a ticker the tests move by hand (STYLE T6). */
class PassMemoryTest {

  private static final CacheKey A = new CacheKey("cloud", "/private.json");
  private static final CacheKey B = new CacheKey("cloud", "/other.json");

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final PassMemory memory = new PassMemory(ticker);

  @Test
  void passes_neverRemembered_false() {
    assertThat(memory.passes(A)).isFalse();
  }

  @Test
  void remember_key_passesThatKeyOnly() {
    memory.remember(A);

    assertThat(memory.passes(A)).isTrue();
    assertThat(memory.passes(B)).isFalse();
    assertThat(memory.passes(new CacheKey("other-origin", "/private.json"))).isFalse();
  }

  @Test
  void forget_remembered_passesNoMore() {
    memory.remember(A);
    memory.remember(B);

    memory.forget(A);

    assertThat(memory.passes(A)).isFalse();
    assertThat(memory.passes(B)).isTrue();
  }

  @Test
  void forget_neverRemembered_noEffect() {
    memory.forget(A);

    assertThat(memory.passes(A)).isFalse();
  }

  @Test
  void passes_justBeforeRememberFor_true() {
    memory.remember(A);

    advance(PassMemory.REMEMBER_FOR.minusNanos(1));

    assertThat(memory.passes(A)).isTrue();
  }

  @Test
  void passes_afterRememberFor_false() {
    memory.remember(A);

    advance(PassMemory.REMEMBER_FOR);

    assertThat(memory.passes(A)).isFalse();
  }

  @Test
  void remember_again_restartsTheWait() {
    memory.remember(A);
    advance(Duration.ofMinutes(1));

    memory.remember(A);
    advance(Duration.ofMinutes(1).plusSeconds(30));

    assertThat(memory.passes(A)).isTrue();
    advance(Duration.ofSeconds(30));
    assertThat(memory.passes(A)).isFalse();
  }

  @Test
  void rememberFor_twoMinutes() {
    assertThat(PassMemory.REMEMBER_FOR).isEqualTo(Duration.ofMinutes(2));
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
