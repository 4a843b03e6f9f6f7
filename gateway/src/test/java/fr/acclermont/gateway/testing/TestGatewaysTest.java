package fr.acclermont.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test gateway's YAML: the template, and extra YAML merged over it key by key. */
class TestGatewaysTest {

  private static final URI ORIGIN = URI.create("http://127.0.0.1:8000");

  @Test
  void yaml_blankExtra_templateAsWritten() {
    assertThat(TestGateways.yaml(ORIGIN, "")).contains("max-bytes: 256MiB").contains("url: " + ORIGIN);
  }

  @Test
  void yaml_extraCacheSection_mergedIntoTheTemplatesCacheSection() {
    GatewayConfig config = parse("cache: { memory: { max-bytes: 512MiB }, slice-size: 2MiB }\n");

    assertThat(config.cache().memory().maxBytes()).isEqualTo(512L << 20);
    assertThat(config.cache().memory().maxObjectBytes()).isEqualTo(64L << 20); // kept from the template
    assertThat(config.cache().sliceSize()).isEqualTo(2L << 20);
    assertThat(config.origins()).hasSize(2);
  }

  @Test
  void yaml_extraNewSection_added() {
    GatewayConfig config = parse("limits: { max-body-bytes: 2MiB }\n");

    assertThat(config.limits().maxBodyBytes()).isEqualTo(2L << 20);
    assertThat(config.cache().memory().maxBytes()).isEqualTo(256L << 20);
  }

  @Test
  void yaml_extraNotAMap_rejected() {
    assertThatThrownBy(() -> TestGateways.yaml(ORIGIN, "- just\n- a list\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static GatewayConfig parse(String extra) {
    return ConfigLoader.parse(TestGateways.yaml(ORIGIN, extra), Map.of());
  }
}
