package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Other methods pass through uncached, their bodies streamed and bounded; success invalidates. */
class UnsafeMethodsTest {

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("limits: { max-body-bytes: 2MiB }\n", Clock.systemUTC());

  private static final int MAX_BODY = 2 << 20;

  private static byte[] randomBody(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    return body;
  }

  @Test
  void post_withContentLength_bodyReachesOriginIntact() throws Exception {
    byte[] body = randomBody(1 << 20);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("POST /blobs/1/upload-cl HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n");
      client.sendBytes(body);
      Response response = client.read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).contains("\"bytes\":" + body.length).contains(TestHttpClient.sha256(body));
      assertThat(response.header("Cache-Status")).isEqualTo("edge; fwd=method; fwd-status=200");
    }
  }

  @Test
  void put_chunkedBody_reachesOriginIntact() throws Exception {
    byte[] body = randomBody(300_000);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("PUT /blobs/1/upload-chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int offset = 0; offset < body.length; offset += 70_000) {
        int n = Math.min(70_000, body.length - offset);
        client.sendRaw(Integer.toHexString(n) + "\r\n");
        client.sendBytes(java.util.Arrays.copyOfRange(body, offset, offset + n));
        client.sendRaw("\r\n");
      }
      client.sendRaw("0\r\n\r\n");
      Response response = client.read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).contains("\"bytes\":" + body.length).contains(TestHttpClient.sha256(body));
    }
  }

  @Test
  void unknownMethodWithBody_passesThroughWithBodyAndOriginsAnswer() throws Exception {
    String path = "/blobs/1/propfind";
    byte[] body = randomBody(200_000);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("PROPFIND " + path + " HTTP/1.1\r\nHost: t\r\nDepth: 1\r\nContent-Length: " + body.length
          + "\r\n\r\n");
      client.sendBytes(body);
      Response response = client.read();
      Response next = client.get("/blobs/10/after-propfind").read(); // the connection is still in sync

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("{\"method\":\"PROPFIND\",\"bytes\":" + body.length
          + ",\"sha256\":\"" + TestHttpClient.sha256(body) + "\"}");
      assertThat(response.header("Cache-Status")).isEqualTo("edge; fwd=method; fwd-status=200");
      assertThat(next.status()).isEqualTo(200);
    }
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void successfulPost_invalidatesStoredEntry() throws Exception {
    String path = "/blobs/1KiB/invalidated";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.get(path).read();
      assertThat(client.get(path).read().header("Cache-Status")).startsWith("edge; hit");
      client.sendRaw("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi");
      assertThat(client.read().status()).isEqualTo(200);
      Response after = client.get(path).read();

      assertThat(after.header("Cache-Status")).contains("fwd=miss");
    }
    assertThat(env.origin().stats().requests(path)).isEqualTo(3); // fill, POST, refill
  }

  @Test
  void chunkedBodyOverMaximum_413AndNothingForwardedComplete() throws Exception {
    String path = "/blobs/1/too-much";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("POST " + path + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = randomBody(256 * 1024);
      try {
        for (int i = 0; i < 12; i++) { // 3 MiB, over the 2 MiB limit
          client.sendRaw(Integer.toHexString(chunk.length) + "\r\n");
          client.sendBytes(chunk);
          client.sendRaw("\r\n");
        }
        client.sendRaw("0\r\n\r\n");
      } catch (IOException closedWhileSending) {
        // the gateway may stop reading once it has answered: what matters is the answer
      }
      Response response = client.read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.text()).contains("over " + MAX_BODY + " bytes");
    }
    assertThat(env.origin().stats().requests(path)).isZero(); // the origin never got a complete request
  }
}
