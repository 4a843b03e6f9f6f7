package fr.acclermont.loadtest.report;

import fr.acclermont.loadtest.client.ErrorKind;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The HTML report: one self-contained page, viewable offline. No script, no external style sheet,
 * font or image: styles are inline and the charts are inline SVG (see {@link LatencyChart} and
 * {@link TimelineChart}). Each round gets headline figures to look at (time to book open, failed
 * requests, bytes delivered, share of them that crossed the uplink), its two charts, and the
 * tables of figures behind them.
 */
public final class HtmlReport {

  private static final String STYLE = """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
             margin: 24px auto; max-width: 980px; padding: 0 16px; line-height: 1.4; }
      h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 36px;
           border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      .meta { color: #666; font-size: 13px; }
      .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
      .card { flex: 1 1 200px; border: 1px solid #ddd; border-radius: 8px; padding: 10px 14px; }
      .card .big { font-size: 28px; font-weight: 600; }
      .card.good .big { color: #238b45; } .card.bad .big { color: #cb181d; }
      .card .small { color: #555; font-size: 13px; }
      .meter { height: 8px; background: #eee; border-radius: 4px; margin-top: 6px; overflow: hidden; }
      .meter span { display: block; height: 100%; background: #2171b5; }
      svg.chart { display: block; margin: 18px 0; max-width: 100%; height: auto; }
      table { border-collapse: collapse; font-size: 13px; margin: 12px 0; }
      th, td { padding: 3px 9px; text-align: right; border-bottom: 1px solid #eee; white-space: nowrap; }
      th.group { text-align: center; border-bottom: 1px solid #ddd; }
      th:first-child, td:first-child { text-align: left; }
      thead th { border-bottom: 1px solid #bbb; }
      """;

  private HtmlReport() {}

  /** Returns the page. */
  public static String render(RunReport report) {
    StringBuilder html = new StringBuilder(64 * 1024);
    String heading = report.command() + ": " + report.title();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Svg.escape(heading)).append("</title>\n<style>\n").append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>").append(Svg.escape(heading)).append("</h1>\n")
        .append("<p class=\"meta\">target ").append(Svg.escape(report.target()));
    if (report.origin() != null) {
      html.append(" · origin ").append(Svg.escape(report.origin()));
    }
    html.append(" · started ").append(Svg.escape(report.startedAt().toString())).append("<br>settings: ")
        .append(Svg.escape(report.settings().entrySet().stream()
            .map(e -> "--" + e.getKey() + " " + e.getValue()).collect(Collectors.joining(" "))))
        .append("</p>\n");
    for (RoundResult round : report.rounds()) {
      round(html, round);
    }
    html.append("<p class=\"meta\">Latencies are measured from each request's intended start (the moment it was ")
        .append("queued, so waiting for one of the student's 6 connections counts). Every figure is also in the ")
        .append("JSON report.</p>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void round(StringBuilder html, RoundResult round) {
    html.append("<section>\n<h2>").append(Svg.escape(capitalized(round.label()))).append("</h2>\n")
        .append("<div class=\"cards\">\n");
    if (round.studentsOpeningBooks() > 0) {
      Percentiles open = round.bookOpen();
      card(html, open.isEmpty() ? "-" : Figures.duration(open.p50()), "",
          "median time to book open; p99 " + (open.isEmpty() ? "-" : Figures.duration(open.p99())) + ", max "
              + (open.isEmpty() ? "-" : Figures.duration(open.max())) + "; " + round.booksOpened() + " of "
              + round.studentsOpeningBooks() + " books opened", -1);
    }
    card(html, Long.toString(round.failed()), round.failed() == 0 ? "good" : "bad",
        "failed requests of " + round.requests() + (round.failed() == 0 ? "" : ": " + errors(round.errors())), -1);
    card(html, Figures.bytes(round.deliveredBytes()), "", "delivered to students in "
        + String.format(Locale.ROOT, "%.1f s", round.durationNanos() / 1e9) + " ("
        + Figures.oneDecimal(round.mibPerSecond()) + " MiB/s, " + Figures.oneDecimal(round.requestsPerSecond())
        + " requests/s)", -1);
    UplinkFigures uplink = round.uplink();
    if (uplink != null && round.deliveredBytes() > 0) {
      double share = (double) uplink.bytes() / round.deliveredBytes();
      card(html, String.format(Locale.ROOT, "%.0f%%", 100 * share), "",
          "of the delivered bytes crossed the uplink: " + Figures.bytes(uplink.bytes()) + " in " + uplink.requests()
              + " origin requests", Math.min(1, share));
    }
    html.append("</div>\n")
        .append(LatencyChart.render(round))
        .append(TimelineChart.render(round));
    kindsTable(html, round);
    html.append("</section>\n");
  }

  private static void card(StringBuilder html, String big, String tone, String small, double meter) {
    html.append("<div class=\"card ").append(tone).append("\"><div class=\"big\">").append(Svg.escape(big))
        .append("</div><div class=\"small\">").append(Svg.escape(small)).append("</div>");
    if (meter >= 0) {
      html.append("<div class=\"meter\"><span style=\"width:")
          .append(String.format(Locale.ROOT, "%.1f", 100 * meter)).append("%\"></span></div>");
    }
    html.append("</div>\n");
  }

  private static void kindsTable(StringBuilder html, RoundResult round) {
    String percentiles = "<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>";
    html.append("<table>\n<thead><tr><th></th><th></th><th></th><th></th>")
        .append("<th class=\"group\" colspan=\"5\">time to first byte (ms)</th>")
        .append("<th class=\"group\" colspan=\"5\">time to complete (ms)</th></tr>\n")
        .append("<tr><th>kind</th><th>requests</th><th>failed</th><th>bytes</th>").append(percentiles)
        .append(percentiles).append("</tr></thead>\n<tbody>\n");
    for (KindResult kind : round.kinds().values()) {
      if (kind.requests() == 0) {
        continue;
      }
      html.append("<tr><td>").append(kind.kind().label()).append("</td><td>").append(kind.requests())
          .append("</td><td>").append(kind.failed()).append("</td><td>").append(Figures.bytes(kind.bytes()))
          .append("</td>");
      cells(html, kind.firstByte());
      cells(html, kind.complete());
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n<p class=\"meta\">errors: ").append(Svg.escape(errors(round.errors())))
        .append("</p>\n");
  }

  private static void cells(StringBuilder html, Percentiles p) {
    double[] values = {p.p50(), p.p90(), p.p99(), p.p999(), p.max()};
    for (double value : values) {
      html.append("<td>").append(p.isEmpty() ? "-" : Figures.millis(value)).append("</td>");
    }
  }

  private static String errors(Map<ErrorKind, Long> errors) {
    String listed = errors.entrySet().stream().filter(e -> e.getValue() > 0)
        .map(e -> e.getKey().label() + " " + e.getValue()).collect(Collectors.joining(", "));
    return listed.isEmpty() ? "none" : listed;
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
