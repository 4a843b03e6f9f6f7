package fr.acclermont.gateway.config;

import static fr.acclermont.gateway.config.ConfigYaml.ORIGINS;
import static fr.acclermont.gateway.config.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code prefetch} section: every key, its default, the forms of rates and windows, and the one
 * line naming the key for each value refused.
 */
class ConfigPrefetchTest {

  @Test
  void parse_prefetchAbsent_isOffWithDefaults() {
    PrefetchConfig prefetch = parse(ORIGINS).prefetch();

    assertThat(prefetch).isEqualTo(PrefetchConfig.defaults());
    assertThat(prefetch.enabled()).isFalse();
    assertThat(prefetch.lists()).isEmpty();
    assertThat(prefetch.windows()).isEmpty();
    assertThat(prefetch.maxRate()).isEqualTo(2_500_000);
    assertThat(prefetch.timeZone()).isEqualTo(ZoneId.systemDefault());
    assertThat(prefetch.acceptEncoding()).isEqualTo("gzip, deflate, br");
    assertThat(prefetch.listRefresh()).isEqualTo(Duration.ofHours(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"prefetch:\n", "prefetch: {}\n", "prefetch: { lists: [], windows: [] }\n",
      "prefetch: { lists: ~, windows: ~ }\n"})
  void parse_prefetchEmpty_isDefaults(String yaml) {
    assertThat(parse(ORIGINS + yaml).prefetch()).isEqualTo(PrefetchConfig.defaults());
  }

  @Test
  void parse_everyKey_read() {
    PrefetchConfig prefetch = parse(ORIGINS + """
        prefetch:
          lists: [/etc/textbook-gateway/prefetch.txt, lists/more.txt, "http://127.0.0.1:8000/lists/a.txt"]
          windows: ["18:00-07:00", "wed 13:00-18:00"]
          max-rate: 8mbit
          time-zone: Europe/Paris
          accept-encoding: gzip, deflate, br, zstd
          list-refresh: 10m
        """).prefetch();

    assertThat(prefetch).isEqualTo(new PrefetchConfig(
        List.of("/etc/textbook-gateway/prefetch.txt", "lists/more.txt", "http://127.0.0.1:8000/lists/a.txt"),
        List.of(PrefetchWindow.parse("18:00-07:00"), PrefetchWindow.parse("wed 13:00-18:00")),
        1_000_000, ZoneId.of("Europe/Paris"), "gzip, deflate, br, zstd", Duration.ofMinutes(10)));
    assertThat(prefetch.enabled()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"20mbit, 2500000", "2.5mbit, 312500", "500kbit, 62500", "8kbit, 1000", "1gbit, 125000000",
      "100gbit, 12500000000", "2MiB/s, 2097152", "512KiB/s, 524288", "1048576, 1048576", "1000/s, 1000", "0, 0"})
  void parse_maxRate_inBytesPerSecond(String rate, long bytesPerSecond) {
    assertThat(parse(ORIGINS + "prefetch: { max-rate: " + rate + " }\n").prefetch().maxRate())
        .isEqualTo(bytesPerSecond);
  }

  @Test
  void parse_maxRateFromVariable_isSubstituted() {
    GatewayConfig config = ConfigLoader.parse(ORIGINS + "prefetch: { max-rate: \"${RATE:-20mbit}\" }\n",
        Map.of("RATE", "50mbit"));

    assertThat(config.prefetch().maxRate()).isEqualTo(6_250_000);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "fast | \"fast\" (expected a rate such as 20mbit, 2.5mbit or 2MiB/s, or 0 for no cap)",
      "20 mbit | \"20 mbit\" (expected a rate such as 20mbit, 2.5mbit or 2MiB/s, or 0 for no cap)",
      "20Mbit | \"20Mbit\" (expected a rate such as 20mbit, 2.5mbit or 2MiB/s, or 0 for no cap)",
      "-1 | -1 (expected a rate such as 20mbit, 2.5mbit or 2MiB/s, or 0 for no cap)",
      "4kbit | \"4kbit\" (expected 0 for no cap, or a rate from 8kbit to 100gbit)",
      "200gbit | \"200gbit\" (expected 0 for no cap, or a rate from 8kbit to 100gbit)",
      "[1] | a list (expected a rate such as 20mbit, 2.5mbit or 2MiB/s, or 0 for no cap)"})
  void parse_badMaxRate_failsNamingKey(String rate, String message) {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: { max-rate: " + rate + " }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.max-rate: " + message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"25:00-07:00\" | 1", "\"18:00-18:00\" | 1", "\"wed 13:00\" | 1", "\"xyz 10:00-11:00\" | 1",
      "\"10:60-11:00\" | 1", "\"24:00-07:00\" | 1", "\"mon-fri18:00-07:00\" | 1", "\"mon,,tue 10:00-11:00\" | 1",
      "\"18h-7h\" | 1", "\"\" | 1"})
  void parse_badWindow_failsNamingItsIndex(String window, int index) {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch:\n  windows: [\"08:00-09:00\", " + window + "]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.windows[" + index + "]: " + window
            + " (expected a window such as 18:00-07:00, wed 13:00-18:00 or mon-fri 17:00-24:00)");
  }

  @Test
  void parse_windowsNotAList_fails() {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: { windows: \"18:00-07:00\" }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.windows: \"18:00-07:00\" (expected a list of windows such as"
            + " [\"18:00-07:00\", \"wed 13:00-18:00\"])");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"ftp://host/list.txt\" | \"ftp://host/list.txt\"", "\"\" | \"\"", "\"  \" | \"  \"",
      "\"http://\" | \"http://\"", "\"https://127.0.0.1:8000/a#b\" | \"https://127.0.0.1:8000/a#b\"",
      "{ file: a } | a map"})
  void parse_badList_failsNamingItsIndex(String list, String described) {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch:\n  lists: [/a.txt, " + list + "]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.lists[1]: " + described + " (expected a file path, or an http:// or https:// URL on a"
            + " configured origin, such as /etc/textbook-gateway/prefetch.txt)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.2:8000/list.txt", "http://127.0.0.1:8001/list.txt",
      "http://127.0.0.1/list.txt", "https://127.0.0.1/list.txt"})
  void parse_listUrlOfAnotherHost_fails(String url) {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch:\n  lists: [\"" + url + "\"]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.lists[0]: \"" + url + "\" (expected a URL on a configured origin: its host and port"
            + " are no origin's)");
  }

  @Test
  void parse_listUrlOnDefaultPortOrigin_accepted() {
    PrefetchConfig prefetch = ConfigLoader.parse("""
        origins:
          - { name: cloud, url: "https://manuels.example/textbooks" }
        prefetch:
          lists: ["https://MANUELS.example:443/lists/a.txt", "HTTPS://manuels.example/b.txt"]
        """, Map.of()).prefetch();

    assertThat(prefetch.lists()).hasSize(2);
  }

  @Test
  void parse_listsNotAList_fails() {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: { lists: /etc/prefetch.txt }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.lists: \"/etc/prefetch.txt\" (expected a list of file paths and http:// or https://"
            + " URLs)");
  }

  @ParameterizedTest
  @CsvSource({"UTC, UTC", "Europe/Paris, Europe/Paris", "+02:00, +02:00"})
  void parse_timeZone_read(String zone, String expected) {
    assertThat(parse(ORIGINS + "prefetch: { time-zone: \"" + zone + "\" }\n").prefetch().timeZone())
        .isEqualTo(ZoneId.of(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "LOCAL"})
  void parse_timeZoneLocal_isTheSystems(String zone) {
    assertThat(parse(ORIGINS + "prefetch: { time-zone: " + zone + " }\n").prefetch().timeZone())
        .isEqualTo(ZoneId.systemDefault());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Europe/Pari", "Mars/Olympus", "+25:00", "\"\""})
  void parse_badTimeZone_failsNamingKey(String zone) {
    String quoted = zone.startsWith("\"") ? zone : "\"" + zone + "\"";
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: { time-zone: " + quoted + " }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.time-zone: " + quoted + " (expected local or a time zone such as Europe/Paris)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "\"gzip\\nbr\"", "\"gzip\\tbr\""})
  void parse_badAcceptEncoding_failsNamingKey(String value) {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: { accept-encoding: " + value + " }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("prefetch.accept-encoding: ")
        .hasMessageEndingWith(" (expected an Accept-Encoding value of visible ASCII characters, such as gzip,"
            + " deflate, br)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10s | \"10s\" (expected a duration from 1m to 1d)", "2d | \"2d\" (expected a duration from 1m to 1d)",
      "60 | 60 (expected a duration such as 10s or 500ms: a whole number followed by ms, s, m, h or d)"})
  void parse_badListRefresh_failsNamingKey(String value, String message) {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: { list-refresh: " + value + " }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.list-refresh: " + message);
  }

  @Test
  void parse_unknownKey_failsListingKnownKeys() {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: { lists: [], rate: 20mbit }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch.rate: unknown key (expected one of: lists, windows, max-rate, time-zone,"
            + " accept-encoding, list-refresh)");
  }

  @Test
  void parse_prefetchNotAMap_fails() {
    assertThatThrownBy(() -> parse(ORIGINS + "prefetch: [a.txt]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("prefetch: a list (expected a map with keys: lists, windows, max-rate, time-zone,"
            + " accept-encoding, list-refresh)");
  }

  @Test
  void prefetchConfig_negativeRate_refused() {
    assertThatThrownBy(() -> new PrefetchConfig(List.of(), List.of(), -1, ZoneId.of("UTC"), "gzip",
        Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
