package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.prefetch.PrefetchStatus;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /prefetch} and {@code POST /prefetch} ("prefetch now") on the management port: the
 * token is required (the allow-list protects new endpoints); the answer is the status as JSON;
 * prefetching off answers 409; another method 405. The progress is in the metrics.
 */
class PrefetchEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final Path TOKEN_FILE = file("admin-token-", TOKEN + "\n");
  private static final Path LIST = file("prefetch-", "/blobs/64KiB/endpoint-a\n/blobs/64KiB/endpoint-b\n");

  /** A window of a minute, twelve hours from now: never open while the class runs. */
  private static final String WINDOW = LocalTime.now(ZoneOffset.UTC).plusHours(12).format(
      DateTimeFormatter.ofPattern("HH:mm")) + "-" + LocalTime.now(ZoneOffset.UTC).plusHours(12).plusMinutes(1)
      .format(DateTimeFormatter.ofPattern("HH:mm"));

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("""
      admin: { token-file: "%s" }
      prefetch: { lists: ["%s"], windows: ["%s"], time-zone: UTC, max-rate: 0 }
      """.formatted(TOKEN_FILE, LIST, WINDOW));

  @RegisterExtension
  static final GatewayExtension off = new GatewayExtension();

  private static Path file(String prefix, String text) {
    try {
      Path file = Files.createTempFile(prefix, ".txt");
      file.toFile().deleteOnExit();
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response send(GatewayExtension gateway, String method, String... headers) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.gateway().adminPort())) {
      return client.request(method, "/prefetch", headers).read();
    }
  }

  @Test
  void withoutTheToken_401_nothingStarted() throws Exception {
    Instant runBefore = env.gateway().prefetcher().check().get().runStarted();

    Response get = send(env, "GET");
    Response post = send(env, "POST");
    Response wrong = send(env, "POST", "Authorization: Bearer " + TOKEN.replace('0', '1'));

    assertThat(get.status()).isEqualTo(401);
    assertThat(post.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    PrefetchStatus after = env.gateway().prefetcher().check().get(); // a run asked for would have started
    assertThat(after.state()).isNotEqualTo(PrefetchStatus.State.RUNNING);
    assertThat(after.runStarted()).isEqualTo(runBefore);
  }

  @Test
  void post_withTheToken_202Running_thenGet_showsTheRunDone() throws Exception {
    Response post = send(env, "POST", "Authorization: Bearer " + TOKEN);

    assertThat(post.status()).isEqualTo(202);
    assertThat(post.header("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readTree(post.text()).get("state").asText()).isEqualTo("running");
    await().atMost(Duration.ofSeconds(20)).until(() -> JSON.readTree(
        send(env, "GET", "Authorization: Bearer " + TOKEN).text()).get("state").asText().equals("done"));
    JsonNode status = JSON.readTree(send(env, "GET", "Authorization: Bearer " + TOKEN).text());
    assertThat(status.get("objects").get("done").asLong()).isEqualTo(2);
    assertThat(status.get("objects").get("total").asLong()).isEqualTo(2);
    assertThat(status.get("objects").get("failed").asLong()).isZero();
    assertThat(status.get("bytes").asLong()).isEqualTo(2 * 64 * 1024);
    assertThat(status.get("next_window").asText()).endsWith(":00Z");
    assertThat(status.has("last_completed")).isTrue();
    String metrics;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      metrics = client.get("/metrics").read().text();
    }
    assertThat(metrics).contains("gateway_prefetch_bytes_total " + (2.0 * 64 * 1024),
        "gateway_prefetch_objects{state=\"done\"} 2.0", "gateway_prefetch_objects{state=\"total\"} 2.0",
        "gateway_prefetch_objects{state=\"failed\"} 0.0");
  }

  @Test
  void otherMethod_405() throws Exception {
    Response put = send(env, "PUT", "Authorization: Bearer " + TOKEN);

    assertThat(put.status()).isEqualTo(405);
    assertThat(put.header("Allow")).isEqualTo("GET, HEAD, POST");
  }

  @Test
  void prefetchOff_post409Idle_getIdle_metricsFromZero() throws Exception {
    Response post = send(off, "POST");
    Response get = send(off, "GET");

    assertThat(post.status()).isEqualTo(409);
    assertThat(JSON.readTree(post.text()).get("state").asText()).isEqualTo("idle");
    assertThat(get.status()).isEqualTo(200);
    assertThat(JSON.readTree(get.text()).get("objects").get("total").asLong()).isZero();
    try (TestHttpClient client = TestHttpClient.connect(off.gateway().adminPort())) {
      assertThat(client.get("/metrics").read().text()).contains("gateway_prefetch_bytes_total 0.0",
          "gateway_prefetch_objects{state=\"done\"} 0.0");
    }
  }
}
