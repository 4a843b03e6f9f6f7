package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.loadtest.origin.OriginSettings;
import fr.acclermont.loadtest.origin.OriginSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: each fault flag of {@code loadtest origin} produces its fault, and the load client
 * classifies it as the error kind it names (issue 3, "each fault flag ... the client classifies it").
 */
class OriginFaultFlagsClassificationTest {

  static Stream<Arguments> flags() {
    return Stream.of(
        Arguments.of("--fail-rate 1", (UnaryOperator<OriginSettings.Builder>) b -> b.failRate(1), ErrorKind.STATUS),
        Arguments.of("--reset-rate 1", (UnaryOperator<OriginSettings.Builder>) b -> b.resetRate(1), ErrorKind.RESET),
        Arguments.of("--stall-rate 1 --stall 5s", (UnaryOperator<OriginSettings.Builder>) b -> b.stallRate(1)
            .stall(Duration.ofSeconds(5)), ErrorKind.TIMEOUT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flags")
  void faultFlag_atRateOne_classifiedAsItsKind(String flag, UnaryOperator<OriginSettings.Builder> fault,
      ErrorKind expected) throws Exception {
    OriginSimulator origin = OriginSimulator.start(fault.apply(OriginSettings.builder().port(0)).build());
    LoadClient client = LoadClient.start(Target.parse(origin.baseUri().toString()),
        new ClientOptions(1, 6, Duration.ofMillis(800)));
    try {
      CompletableFuture<RequestResult> result = new CompletableFuture<>();
      client.newPool().submit(RequestSpec.whole(RequestKind.ASSET, "/blobs/1MiB/flagged", 1 << 20, null),
          System.nanoTime(), result::complete);
      assertThat(result.get(10, TimeUnit.SECONDS).error()).isEqualTo(expected);
    } finally {
      client.close();
      origin.close();
    }
  }
}
