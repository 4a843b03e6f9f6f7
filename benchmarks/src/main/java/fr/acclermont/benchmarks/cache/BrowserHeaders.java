package fr.acclermont.benchmarks.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** The request headers the cache benchmarks read: what Firefox sends for a book's stylesheet. */
final class BrowserHeaders {

  private BrowserHeaders() {
  }

  /** A new copy of a browser's request headers for a CSS asset (its {@code Accept}, {@code Sec-Fetch-*}). */
  static HttpHeaders stylesheetRequest() {
    return new DefaultHttpHeaders()
        .set("host", "gateway.ecole.local:8080")
        .set("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .set("accept", "text/css,*/*;q=0.1")
        .set("accept-language", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7")
        .set("accept-encoding", "gzip, deflate, br, zstd")
        .set("referer", "http://gateway.ecole.local:8080/books/maths-6e/index.html")
        .set("connection", "keep-alive")
        .set("sec-fetch-dest", "style")
        .set("sec-fetch-mode", "no-cors")
        .set("sec-fetch-site", "same-origin");
  }
}
