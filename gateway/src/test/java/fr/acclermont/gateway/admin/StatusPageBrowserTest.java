package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status page in a real browser: Debian's headless Chromium loads the admin port's {@code /}
 * after known traffic, the DOM it built shows the figures, and a phone-sized screenshot is kept at
 * {@code gateway/target/status-page.png} (docs/monitoring.md's picture, docs/status-page.png, comes from the same command).
 */
class StatusPageBrowserTest {

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static final Path SCREENSHOT = Path.of("target/status-page.png");

  /** Runs Chromium headless with {@code args}; returns its standard output. */
  private static String chromium(Path profile, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--user-data-dir=" + profile, "--hide-scrollbars"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium ended").isTrue();
    assertThat(process.exitValue()).as("chromium's exit status").isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void chromiumLoadsThePage_figuresInItsDom_screenshotKept() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        assertThat(client.get("/books/maths-6e/manifest.json").read().status()).isEqualTo(200);
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      try (TestHttpClient admin = TestHttpClient.connect(env.gateway().adminPort())) {
        return admin.get("/status.json").read().text().contains("\"requests\":3");
      }
    });
    Path profile = Files.createTempDirectory("chromium-profile");
    // Chromium asks for English (Accept-Language: en-US): the French page, as a school sees it, by name.
    String url = "http://127.0.0.1:" + env.gateway().adminPort() + "/?lang=fr";
    try {
      String dom = chromium(profile, "--dump-dom", url);
      Files.deleteIfExists(SCREENSHOT);
      chromium(profile, "--window-size=412,1900", "--screenshot=" + SCREENSHOT.toAbsolutePath(), url);

      assertThat(dom).contains("Passerelle des manuels", "Ce que la passerelle économise", "/books/maths-6e/",
          "66,7 %", "<svg", "Vider");
      BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
      assertThat(image.getWidth()).isEqualTo(412);
      assertThat(image.getHeight()).isEqualTo(1900);
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
