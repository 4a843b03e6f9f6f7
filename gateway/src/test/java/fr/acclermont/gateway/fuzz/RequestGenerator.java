package fr.acclermont.gateway.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds HTTP/1.1 request pipelines from fuzzer data: each choice is drawn from the data, so the
 * same data gives the same bytes, and the fuzzer's mutations of the data move between well-formed
 * and odd requests.
 */
final class RequestGenerator {

  private static final String[] METHODS = {"GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "CONNECT",
      "TRACE", "PATCH", "get", "G\u0000T", "GET ", "", "PRI", "BREW", "G(T"};
  private static final String[] TARGETS = {RequestPathFuzzTest.PATH, RequestPathFuzzTest.PATH + "?a=1&token=s",
      "/books/other.css", "/blobs/x", "/", "*", "/nowhere", "http://127.0.0.1:9" + RequestPathFuzzTest.PATH,
      "http://127.0.0.1:9", "http://evil.example/books/a", "HTTP://127.0.0.1:9/books/a", "//books/a",
      "/books/%00", "/books/a#frag", "/books/a b", "/books/\u00e9", "/books/../../etc/passwd", "http://[::1/x",
      "http://user:pw@127.0.0.1:9/books/a", "127.0.0.1:9", "/books/a?\u0000", ""};
  private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/0.9",
      "http/1.1", "HTTP/1.1 ", "", "HTTP/11"};
  private static final String[] NAMES = {"Host", "Content-Length", "Transfer-Encoding", "Connection", "Range",
      "If-Range", "If-None-Match", "If-Modified-Since", "Cache-Control", "Pragma", "Via", "Expect", "Upgrade",
      "Keep-Alive", "TE", "Accept-Encoding", "Content-Type", "X-Forwarded-For", "Authorization", "host",
      "Content-Length ", " Host", "Hos t", "X\u0000Y", "", ":", "Transfer-Encoding\t", "X-Long"};
  private static final String[] VALUES = {"127.0.0.1:9", "gateway.local", "", " ", "0", "5", "-1", "+5", "5, 5",
      "5, 6", "99999999999999999999", "chunked", "gzip, chunked", "chunked, gzip", "Chunked", "identity",
      "chunked;q=1", "close", "keep-alive", "Upgrade", "Content-Length", "Transfer-Encoding", "Host, Range",
      "close, Content-Length", "keep-alive, Transfer-Encoding", "bytes=0-99", "bytes=100-", "bytes=-50",
      "bytes=2999-", "bytes=3000-", "bytes=0-0,5-9", "bytes=5-1", "bytes=-0", "bytes=99999999999999999999-",
      "BYTES=1-2", "items=0-1", "\"v1\"", "W/\"v1\"", "*", "\"v2\", \"v1\"", "Tue, 03 Sep 2024 08:00:00 GMT",
      "Mon, 01 Jan 2999 00:00:00 GMT", "garbage date", "no-cache", "no-store", "max-age=0", "only-if-cached",
      "max-stale", "min-fresh=99999999999", "1.1 textbook-gateway", "1.1 other", "100-continue", "h2c",
      "a\u0000b", "a\rb", "a\nb", "\u00e9t\u00e9", "x".repeat(300)};
  private static final String[] LINE_ENDS = {"\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", " \r\n", "\r\n "};

  private RequestGenerator() {
  }

  /** One to four requests; with {@code mutate}, then a few byte-wise mutations. */
  static byte[] pipeline(FuzzedDataProvider data, boolean mutate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int requests = data.consumeInt(1, 4);
    for (int i = 0; i < requests; i++) {
      request(data, out, mutate);
    }
    byte[] bytes = out.toByteArray();
    if (mutate && bytes.length > 0) {
      int mutations = data.consumeInt(0, 3);
      for (int m = 0; m < mutations; m++) {
        int at = data.consumeInt(0, bytes.length - 1);
        switch (data.consumeInt(0, 2)) {
          case 0 -> bytes[at] = data.consumeByte();
          case 1 -> bytes[at] = (byte) "\r\n\u0000 \t:;,-\"".charAt(data.consumeInt(0, 9));
          default -> {
            byte[] shorter = new byte[at];
            System.arraycopy(bytes, 0, shorter, 0, at);
            bytes = shorter.length == 0 ? bytes : shorter;
          }
        }
      }
    }
    return bytes;
  }

  private static void request(FuzzedDataProvider data, ByteArrayOutputStream out, boolean odd) {
    String eol = odd && data.consumeInt(0, 7) == 0 ? data.pickValue(LINE_ENDS) : "\r\n";
    String method = odd ? data.pickValue(METHODS) : (data.consumeBoolean() ? "GET" : "HEAD");
    String target = odd || data.consumeBoolean() ? data.pickValue(TARGETS) : RequestPathFuzzTest.PATH;
    String version = odd && data.consumeInt(0, 5) == 0 ? data.pickValue(VERSIONS) : "HTTP/1.1";
    write(out, method + " " + target + " " + version + eol);
    if (!odd || data.consumeInt(0, 9) != 0) {
      write(out, "Host: 127.0.0.1:9" + eol);
    }
    int fields = data.consumeInt(0, odd ? 8 : 3);
    boolean chunked = false;
    long length = -1;
    for (int f = 0; f < fields; f++) {
      String name;
      String value;
      if (odd) {
        name = data.consumeInt(0, 9) == 0 ? data.consumeString(10) : data.pickValue(NAMES);
        value = data.consumeInt(0, 5) == 0 ? data.consumeString(20) : data.pickValue(VALUES);
      } else {
        name = data.pickValue(new String[] {"Range", "If-None-Match", "If-Range", "Cache-Control", "Accept"});
        value = data.pickValue(VALUES);
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\u0000') >= 0) {
          value = "x";
        }
      }
      if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase().endsWith("chunked")) {
        chunked = true;
      }
      if (name.equalsIgnoreCase("Content-Length") && value.matches("\\d{1,6}")) {
        length = Long.parseLong(value);
      }
      String sep = odd && data.consumeInt(0, 7) == 0 ? data.pickValue(new String[] {":", " :", ":\t", "::", ""}) : ": ";
      write(out, name + sep + value + eol);
      if (odd && data.consumeInt(0, 15) == 0) {
        write(out, data.pickValue(new String[] {" folded", "\tfolded", " ", "\t"}) + eol); // obs-fold
      }
    }
    write(out, eol);
    if (chunked) {
      chunks(data, out, odd, eol);
    } else if (length > 0) {
      write(out, "b".repeat((int) Math.min(length, data.consumeInt(0, 5000))));
    } else if (odd && data.consumeInt(0, 7) == 0) {
      write(out, data.consumeString(40)); // a body nobody announced
    }
  }

  private static void chunks(FuzzedDataProvider data, ByteArrayOutputStream out, boolean odd, String eol) {
    int chunks = data.consumeInt(0, 3);
    for (int c = 0; c < chunks; c++) {
      int size = data.consumeInt(1, 300);
      String sizeText = Integer.toHexString(size);
      if (odd && data.consumeInt(0, 3) == 0) {
        sizeText = data.pickValue(new String[] {sizeText + ";ext=1", sizeText + " ", " " + sizeText,
            sizeText + ";a=\"b;c\"", "0x" + sizeText, "-" + sizeText, "ffffffffffffffff", "", sizeText.toUpperCase(),
            sizeText + ";" + "e".repeat(500), "+" + sizeText});
      }
      write(out, sizeText + eol);
      write(out, "c".repeat(size + (odd ? data.consumeInt(-1, 1) : 0)));
      write(out, odd && data.consumeInt(0, 5) == 0 ? "" : eol);
    }
    if (!odd || data.consumeInt(0, 7) != 0) {
      write(out, (odd && data.consumeBoolean() ? "0;ext" : "0") + eol);
      if (odd && data.consumeInt(0, 3) == 0) {
        write(out, data.pickValue(new String[] {"Trailer: x", "Content-Length: 5", "Host: evil", "bad trailer"}) + eol);
      }
      write(out, eol);
    }
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
