package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The access log's masking of secrets in request targets: one row per rule. */
class SecretMaskingTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // nothing to mask: kept byte for byte
      "/books/maths-6e/index.html | /books/maths-6e/index.html",
      "/blobs/10/x?page=2&size=10 | /blobs/10/x?page=2&size=10",
      "/a%20b/c?q=caf%C3%A9+au+lait | /a%20b/c?q=caf%C3%A9+au+lait",
      "/x? | /x?",
      "/x?& | /x?&",
      "/x?&&page=1& | /x?&&page=1&",
      // each secret name, exactly
      "/x?token=abc | /x?token=***",
      "/x?access_token=abc | /x?access_token=***",
      "/x?auth=abc | /x?auth=***",
      "/x?key=abc | /x?key=***",
      "/x?apikey=abc | /x?apikey=***",
      "/x?api_key=abc | /x?api_key=***",
      "/x?signature=abc | /x?signature=***",
      "/x?sig=abc | /x?sig=***",
      "/x?password=abc | /x?password=***",
      "/x?secret=abc | /x?secret=***",
      "/x?session=abc | /x?session=***",
      "/x?jwt=abc | /x?jwt=***",
      // any case, as written
      "/x?TOKEN=abc | /x?TOKEN=***",
      "/x?Api_Key=abc | /x?Api_Key=***",
      // as suffixes
      "/x?X-Amz-Signature=abc&X-Amz-Date=20250101 | /x?X-Amz-Signature=***&X-Amz-Date=20250101",
      "/x?X-Goog-Signature=abc | /x?X-Goog-Signature=***",
      "/x?refresh_token=abc | /x?refresh_token=***",
      "/x?authToken=abc | /x?authToken=***",
      "/x?client_secret=abc | /x?client_secret=***",
      "/x?JSESSIONID=abc | /x?JSESSIONID=***",
      "/x?PHPSESSID=abc | /x?PHPSESSID=***",
      "/x?X-Amz-Credential=AKIA%2F20250101 | /x?X-Amz-Credential=***",
      // the value is masked whole, whatever it holds
      "/x?token=a%26b%3Dc | /x?token=***",
      "/x?token=abc=def | /x?token=***",
      // percent-encoded names
      "/x?%74oken=abc | /x?%74oken=***",
      "/x?to%6Ben=abc | /x?to%6Ben=***",
      "/x?ACCESS%5FTOKEN=abc | /x?ACCESS%5FTOKEN=***",
      "/x?api%2Bkey=abc | /x?api%2Bkey=***",
      "/x?my+token=abc | /x?my+token=***",
      "/x?%zztoken=abc | /x?%zztoken=***",
      "/x?token%=abc | /x?token%=abc",
      // bracketed names
      "/x?user[password]=abc&user[name]=bob | /x?user[password]=***&user[name]=bob",
      "/x?token[]=a&token[]=b | /x?token[]=***&token[]=***",
      "/x?user%5Bpassword%5D=abc | /x?user%5Bpassword%5D=***",
      // repeated parameters: every one
      "/x?token=a&page=1&token=b&TOKEN=c | /x?token=***&page=1&token=***&TOKEN=***",
      // no value, or an empty one: nothing to mask
      "/x?token | /x?token",
      "/x?token= | /x?token=",
      "/x?token&page=2 | /x?token&page=2",
      "/x?=abc | /x?=abc",
      // ; separates too
      "/x?page=1;token=abc;size=2 | /x?page=1;token=***;size=2",
      // fragments are masked like queries
      "/x#access_token=abc&state=1 | /x#access_token=***&state=1",
      "/x?page=1#token=abc | /x?page=1#token=***",
      "/x?token=abc#section-2 | /x?token=***#section-2",
      "/x#section-2 | /x#section-2",
      // a name that only contains a secret word, or a path holding one, is not masked
      "/token/key/x?tokens=1&keyword=maths&author=hugo | /token/key/x?tokens=1&keyword=maths&author=hugo",
      // absolute form: the user information too
      "http://user:pass@cloud.example/x?token=abc | http://***@cloud.example/x?token=***",
      "http://cloud.example/x?token=abc | http://cloud.example/x?token=***",
      "http://cloud.example/a@b | http://cloud.example/a@b",
      "http://user@cloud.example | http://***@cloud.example",
  })
  void target_masksSecretValues(String target, String masked) {
    assertThat(SecretMasking.target(target)).isEqualTo(masked);
  }

  @ParameterizedTest
  @ValueSource(strings = {"token", "Token", "ACCESS_TOKEN", "id_token", "x-amz-signature", "x-amz-security-token",
      "apikey", "api-key", "ApiKey", "sig", "hmac_sig", "password", "new_password", "passwd", "secret",
      "session", "sessionid", "jwt", "auth", "oauth", "credential", "%6Bey", "user[password]", "token[]"})
  void isSecret_secretNames_true(String name) {
    assertThat(SecretMasking.isSecret(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"page", "size", "q", "tokens", "keyword", "author", "signed", "", "sessions", "key_id",
      "user[name]", "%6Beys"})
  void isSecret_otherNames_false(String name) {
    assertThat(SecretMasking.isSecret(name)).isFalse();
  }

  @Test
  void target_everySecretName_isMasked() {
    for (String name : SecretMasking.SECRET_NAMES) {
      assertThat(SecretMasking.target("/x?" + name + "=v&" + name.toUpperCase(java.util.Locale.ROOT) + "=w"))
          .isEqualTo("/x?" + name + "=***&" + name.toUpperCase(java.util.Locale.ROOT) + "=***");
    }
  }
}
