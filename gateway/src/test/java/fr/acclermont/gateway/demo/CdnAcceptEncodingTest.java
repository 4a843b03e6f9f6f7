package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AcceptEncoding}: brotli, else gzip, else identity, by the weights of RFC 9110 §12.5.3. */
class CdnAcceptEncodingTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "NULL                        | identity",
      "''                          | identity",
      "identity                    | identity",
      "gzip                        | gzip",
      "x-gzip                      | gzip",
      "GZIP;Q=0.5                  | gzip",
      "gzip, deflate, br           | br",
      "gzip, deflate, br, zstd     | br",
      "br;q=0, gzip                | gzip",
      "gzip;q=0, br;q=0            | identity",
      "gzip;q=1.0, br;q=0.5        | gzip",
      "*                           | br",
      "*;q=0.5, br;q=0             | gzip",
      "deflate                     | identity",
      "gzip;q=nonsense             | identity",
      "identity;q=0                | identity",
  })
  void choose_followsTheWeights(String header, String expected) {
    assumeTrue(ContentCoding.BR.available() || !expected.equals("br"));

    assertThat(AcceptEncoding.choose(header).token()).isEqualTo(expected);
  }
}
