package fr.acclermont.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test run's leak check works (STYLE R5): surefire runs it with Netty's leak detection at
 * {@code paranoid}, and a {@code ByteBuf} never released makes {@link NettyLeakCheckExtension}
 * fail the test class, hence the build.
 */
class NettyLeakCheckExtensionTest {

  /**
   * A run with {@code -Dtest=...} also runs the named tests in the allocation guard's execution,
   * which turns leak detection off on purpose (gateway/pom.xml): nothing to check there.
   */
  @BeforeEach
  void notInTheAllocationGuardsExecution() {
    assumeFalse("allocation-guard".equals(System.getProperty("gateway.test.execution")),
        "the allocation guard's execution runs without leak detection");
  }

  @Test
  void testRun_leakDetectionIsParanoid() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }

  @Test
  void afterAll_aBufferNeverReleased_failsTheClassShowingTheLeak() {
    leakOneBuffer();

    assertThatThrownBy(() -> new NettyLeakCheckExtension().afterAll(context("LeakyTest")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ByteBuf leak(s) reported during or before LeakyTest")
        .hasMessageContaining("leakOneBuffer");
    // Reported once: the check drained it, so this class itself ends clean.
    assertThatNoException().isThrownBy(() -> new NettyLeakCheckExtension().afterAll(context("CleanTest")));
  }

  /** Allocates a buffer and drops it unreleased; its frame is gone when this returns. */
  private static void leakOneBuffer() {
    ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42);
  }

  /** A context that only knows its display name, all the extension asks of it. */
  private static ExtensionContext context(String displayName) {
    return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
          if (method.getName().equals("getDisplayName")) {
            return displayName;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
