package fr.acclermont.gateway.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link StatusSnapshot} as one HTML page for a technician's phone or PC: no script, no
 * external asset (a school's filtering proxy or an offline uplink must not break it), CSS and the
 * 24-hour chart (SVG) inline, every text escaped. The forms post to {@code /purge} and
 * {@code /prefetch} on the same port. Stateless.
 */
public final class StatusHtml {

  private static final String CSS = """
      body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:52rem;margin:auto;color:#222;background:#fafafa}
      h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1.4rem 0 .4rem}
      .muted{color:#666;font-size:.9rem}table{border-collapse:collapse;width:100%}
      td,th{padding:.3rem .4rem;border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right}
      .up{color:#176c2c}.down{color:#b00020;font-weight:bold}
      .bar{background:#e5e5e5;border-radius:3px;height:.8rem;width:100%}.bar>div{background:#2a6fdb;height:100%;border-radius:3px}
      form{display:flex;flex-wrap:wrap;gap:.4rem;margin:.3rem 0}input[type=text]{flex:1;min-width:12rem;padding:.3rem}
      button{padding:.35rem .8rem}input[type=password]{flex:1;min-width:12rem;padding:.3rem}svg{width:100%;height:auto}.legend span{margin-right:1rem}
      """;
  private static final long KIB = 1024;

  private StatusHtml() {}

  /** The page in {@code text}'s language, dates in {@code zone}. */
  static String render(StatusSnapshot s, StatusText text, ZoneId zone) {
    DateTimeFormatter when = DateTimeFormatter.ofPattern("dd/MM HH:mm", text.locale()).withZone(zone);
    StringBuilder h = new StringBuilder(16 * 1024);
    String lang = text.locale().getLanguage();
    h.append("<!doctype html><html lang=\"").append(lang).append("\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>").append(esc(text.get("title"))).append(" · ").append(esc(s.school())).append("</title>")
        .append("<style>").append(CSS).append("</style></head><body>");
    h.append("<h1>").append(esc(text.get("title"))).append(" · ").append(esc(s.school())).append("</h1>")
        .append("<p class=\"muted\">").append(text.get("version")).append(' ').append(esc(s.version())).append(" · ")
        .append(text.get("running")).append(' ').append(duration(s.nowMillis() - s.startedAtMillis(), text))
        .append(" · <a href=\"?lang=").append(lang.equals("fr") ? "en" : "fr").append("\">")
        .append(text.get("other")).append("</a></p>");

    h.append("<h2>").append(text.get("origins")).append("</h2><ul>");
    for (StatusSnapshot.OriginView o : s.origins()) {
      h.append("<li><b>").append(esc(o.name())).append("</b> <span class=\"muted\">").append(esc(o.url()))
          .append("</span> — <span class=\"").append(o.up() ? "up\">● " + text.get("up") : "down\">● " + text.get("down"))
          .append(' ').append(when.format(Instant.ofEpochMilli(o.sinceMillis()))).append("</span>");
      for (StatusSnapshot.ParentView p : o.parents()) {
        h.append("<br>").append(text.get("parent")).append(" <span class=\"muted\">").append(esc(p.url()))
            .append("</span> — <span class=\"").append(p.up() ? "up\">● " + text.get("up") : "down\">● " + text.get("down"))
            .append(' ').append(when.format(Instant.ofEpochMilli(p.sinceMillis()))).append("</span>");
      }
      h.append("</li>");
    }
    h.append("</ul>");

    h.append("<h2>").append(text.get("savings")).append("</h2><table><tr><th></th><th class=\"n\">")
        .append(text.get("today")).append("</th><th class=\"n\">").append(text.get("week")).append("</th></tr>");
    row(h, text.get("served"), bytes(s.today().servedBytes(), text), bytes(s.lastSevenDays().servedBytes(), text));
    row(h, text.get("uplink"), bytes(s.today().uplinkBytes(), text), bytes(s.lastSevenDays().uplinkBytes(), text));
    row(h, text.get("saved"), bytes(s.today().savedBytes(), text), bytes(s.lastSevenDays().savedBytes(), text));
    row(h, text.get("requestHits"), percent(s.today().requestHitRatio(), text),
        percent(s.lastSevenDays().requestHitRatio(), text));
    row(h, text.get("byteHits"), percent(s.today().byteHitRatio(), text),
        percent(s.lastSevenDays().byteHitRatio(), text));
    h.append("</table>");

    h.append("<h2>").append(text.get("chart")).append("</h2>");
    chart(h, s.hours(), text, zone);

    h.append("<h2>").append(text.get("tiers")).append("</h2><table>");
    tier(h, text.get("memory"), s.memory(), text);
    if (s.disk() != null) {
      tier(h, text.get("disk"), s.disk(), text);
    } else {
      h.append("<tr><td>").append(text.get("disk")).append("</td><td colspan=\"2\" class=\"muted\">")
          .append(text.get("noDisk")).append("</td></tr>");
    }
    h.append("</table>");

    h.append("<h2>").append(text.get("books")).append("</h2>");
    if (s.topBooks().isEmpty()) {
      h.append("<p class=\"muted\">").append(text.get("none")).append("</p>");
    } else {
      h.append("<table><tr><th>").append(text.get("book")).append("</th><th class=\"n\">").append(text.get("bytes"))
          .append("</th></tr>");
      for (BookTraffic.Book book : s.topBooks()) {
        row(h, "<code>" + esc(book.prefix()) + "</code>", bytes(book.bytes(), text));
      }
      h.append("</table>");
    }

    h.append("<h2>").append(text.get("prefetch")).append("</h2>");
    StatusSnapshot.PrefetchView p = s.prefetch();
    if (p == null) {
      h.append("<p class=\"muted\">").append(text.get("prefetchOff")).append("</p>");
    } else {
      double done = p.objectsTotal() == 0 ? 0 : (double) p.objectsDone() / p.objectsTotal();
      h.append("<p><b>").append(text.get("prefetch." + p.state())).append("</b> · ").append(p.objectsDone())
          .append(" / ").append(p.objectsTotal()).append(' ').append(text.get("objects")).append(" · ")
          .append(bytes(p.bytes(), text)).append("</p>");
      if (p.current() != null) {
        h.append("<p class=\"muted\">").append(text.get("prefetchCurrent")).append(" <code>").append(esc(p.current()))
            .append("</code></p>");
      }
      if (p.lastCompletedMillis() > 0) {
        h.append("<p class=\"muted\">").append(text.get("prefetchCompleted")).append(' ')
            .append(when.format(Instant.ofEpochMilli(p.lastCompletedMillis()))).append("</p>");
      }
      if (p.nextWindowMillis() > 0) {
        h.append("<p class=\"muted\">").append(text.get("prefetchNext")).append(' ')
            .append(when.format(Instant.ofEpochMilli(p.nextWindowMillis()))).append("</p>");
      }
      if (p.lastError() != null) {
        h.append("<p class=\"down\">").append(esc(p.lastError())).append("</p>");
      }
      bar(h, done);
      h.append("<form method=\"post\" action=\"/prefetch\"><button>").append(text.get("prefetchNow"))
          .append("</button></form>");
    }

    h.append("<h2>").append(text.get("purge")).append("</h2>")
        .append("<form method=\"post\" action=\"/purge\"><input type=\"text\" name=\"prefix\" placeholder=\"")
        .append(text.get("purgePrefix")).append(" /books/maths-6e/\" required><button>").append(text.get("purgeButton"))
        .append("</button></form>")
        .append("<form method=\"post\" action=\"/purge\"><input type=\"text\" name=\"url\" placeholder=\"")
        .append(text.get("purgeUrl")).append(": /books/maths-6e/manifest.json\" required><button>")
        .append(text.get("purgeButton")).append("</button></form>");

    h.append("<h2>").append(text.get("warnings")).append("</h2>");
    if (s.warnings().isEmpty()) {
      h.append("<p class=\"muted\">").append(text.get("noWarnings")).append("</p>");
    } else {
      h.append("<ul>");
      for (RecentWarnings.Warning w : s.warnings()) {
        h.append("<li><span class=\"muted\">").append(when.format(Instant.ofEpochMilli(w.atMillis()))).append(' ')
            .append(esc(w.level())).append(' ').append(esc(w.logger())).append("</span> ").append(esc(w.message()))
            .append("</li>");
      }
      h.append("</ul>");
    }
    h.append("<p class=\"muted\"><a href=\"/status.json\">").append(text.get("json"))
        .append("</a> · <a href=\"/metrics\">/metrics</a></p></body></html>\n");
    return h.toString();
  }

  /** The form that logs a browser in with the admin token ({@code admin.token-file}). */
  static String login(StatusText text, boolean wrong) {
    return "<!doctype html><html lang=\"" + text.locale().getLanguage() + "\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + esc(text.get("title"))
        + "</title><style>" + CSS + "</style></head><body><h1>" + esc(text.get("title")) + "</h1>"
        + (wrong ? "<p class=\"down\">" + text.get("wrongToken") + "</p>" : "")
        + "<form method=\"post\" action=\"/login\"><input type=\"password\" name=\"token\" placeholder=\""
        + text.get("token") + "\" required autocomplete=\"current-password\"><button>" + text.get("login")
        + "</button></form><p class=\"muted\">admin.token-file</p></body></html>\n";
  }

  /** Served (blue) and uplink (orange) bars per hour; the highest hour fills the height. */
  private static void chart(StringBuilder h, List<TrafficHistory.Hour> hours, StatusText text, ZoneId zone) {
    int width = 720;
    int height = 160;
    int base = height - 20;
    long max = 1;
    for (TrafficHistory.Hour hour : hours) {
      max = Math.max(max, Math.max(hour.traffic().servedBytes(), hour.traffic().uplinkBytes()));
    }
    double slot = (double) width / hours.size();
    DateTimeFormatter hh = DateTimeFormatter.ofPattern("HH", text.locale()).withZone(zone);
    h.append("<svg viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(esc(text.get("chart"))).append("\">");
    h.append("<line x1=\"0\" y1=\"").append(base).append("\" x2=\"").append(width).append("\" y2=\"").append(base)
        .append("\" stroke=\"#999\"/>");
    for (int i = 0; i < hours.size(); i++) {
      TrafficHistory.Hour hour = hours.get(i);
      double x = i * slot;
      double served = (double) hour.traffic().servedBytes() / max * (base - 10);
      double uplink = (double) hour.traffic().uplinkBytes() / max * (base - 10);
      h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2a6fdb\">"
              + "<title>%s: %s</title></rect>", x + 2, base - served, slot / 2 - 2, served,
          hh.format(Instant.ofEpochMilli(hour.startMillis())) + "h " + text.get("chartServed"),
          bytes(hour.traffic().servedBytes(), text)));
      h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f08c00\">"
              + "<title>%s: %s</title></rect>", x + slot / 2, base - uplink, slot / 2 - 2, uplink,
          hh.format(Instant.ofEpochMilli(hour.startMillis())) + "h " + text.get("chartUplink"),
          bytes(hour.traffic().uplinkBytes(), text)));
      if (i % 3 == 0) {
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#555\">%sh</text>",
            x + 2, height - 5, hh.format(Instant.ofEpochMilli(hour.startMillis()))));
      }
    }
    h.append("</svg><p class=\"legend muted\"><span style=\"color:#2a6fdb\">■ ").append(text.get("chartServed"))
        .append("</span><span style=\"color:#f08c00\">■ ").append(text.get("chartUplink")).append("</span> (max ")
        .append(bytes(max, text)).append(")</p>");
  }

  private static void tier(StringBuilder h, String name, StatusSnapshot.TierView tier, StatusText text) {
    h.append("<tr><td>").append(name).append("</td><td class=\"n\">").append(bytes(tier.bytes(), text)).append(" / ")
        .append(bytes(tier.maxBytes(), text)).append("</td><td style=\"width:40%\">");
    bar(h, tier.fill());
    h.append("</td></tr>");
  }

  private static void bar(StringBuilder h, double fill) {
    h.append(String.format(Locale.ROOT, "<div class=\"bar\"><div style=\"width:%.1f%%\"></div></div>",
        Math.max(0, Math.min(1, fill)) * 100));
  }

  private static void row(StringBuilder h, String label, String... cells) {
    h.append("<tr><td>").append(label).append("</td>");
    for (String cell : cells) {
      h.append("<td class=\"n\">").append(cell).append("</td>");
    }
    h.append("</tr>");
  }

  /** Bytes in binary units, in the page's language: {@code 1,5 Gio} or {@code 1.5 GiB}. */
  static String bytes(long bytes, StatusText text) {
    String[] units = text == StatusText.FR ? new String[] {"o", "Kio", "Mio", "Gio", "Tio"}
        : new String[] {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= KIB && unit < units.length - 1) {
      value /= KIB;
      unit++;
    }
    return unit == 0 ? bytes + " " + units[0] : String.format(text.locale(), "%.1f %s", value, units[unit]);
  }

  static String percent(double ratio, StatusText text) {
    return String.format(text.locale(), "%.1f %%", ratio * 100);
  }

  static String duration(long millis, StatusText text) {
    Duration d = Duration.ofMillis(Math.max(0, millis));
    if (d.toDays() > 0) {
      return d.toDays() + " " + text.get("days") + " " + d.toHoursPart() + " " + text.get("hours");
    }
    if (d.toHours() > 0) {
      return d.toHours() + " " + text.get("hours") + " " + d.toMinutesPart() + " " + text.get("minutes");
    }
    return d.toMinutes() + " " + text.get("minutes");
  }

  /** Escapes text for HTML content and double-quoted attributes. */
  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
