package fr.acclermont.loadtest.report;

import fr.acclermont.loadtest.client.RequestKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The latency distribution chart: one curve per kind of request, latency (log scale) against
 * percentile on a "nines" scale (0 %, 90 %, 99 %, 99.9 %, 99.99 % equally spaced), as
 * HdrHistogram plots are drawn, so the median and the tail are both visible. Solid: time to
 * complete; dashed: time to first byte. A curve stops where its sample runs out (at the
 * percentile its request count can resolve), ending on its maximum.
 */
final class LatencyChart {

  /** The SVG title, which tests look for. */
  static final String TITLE = "Latency distribution";

  static final Map<RequestKind, String> COLORS = Map.of(
      RequestKind.MANIFEST, "#7b3294",
      RequestKind.ASSET, "#1f78b4",
      RequestKind.RANGE, "#33a02c",
      RequestKind.VIDEO, "#ff7f00");

  private static final int WIDTH = 760;
  private static final int HEIGHT = 400;
  private static final int LEFT = 84;
  private static final int RIGHT = 590;
  private static final int TOP = 44;
  private static final int BOTTOM = 344;
  private static final double MAX_NINES = 4;
  private static final double STEP_NINES = 0.02;
  private static final double MIN_MILLIS = 0.01;
  private static final String AXIS = "#444";
  private static final String GRID = "#e4e4e4";

  private LatencyChart() {}

  /** Returns the chart of {@code round} as an SVG element. */
  static String render(RoundResult round) {
    Svg svg = new Svg(WIDTH, HEIGHT, TITLE,
        "Latency from each request's intended start, per kind of request, by percentile.");
    svg.text(LEFT, 22, "Latency by percentile, from each request's intended start", "start", 14, "#222", true);
    List<KindResult> kinds = new ArrayList<>();
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (KindResult kind : round.kinds().values()) {
      if (kind.ok() == 0) {
        continue;
      }
      kinds.add(kind);
      lowest = Math.min(lowest, Math.min(minMillis(kind.firstByteHistogram()), minMillis(kind.completeHistogram())));
      highest = Math.max(highest, Math.max(kind.firstByte().max(), kind.complete().max()));
    }
    if (kinds.isEmpty()) {
      svg.text((LEFT + RIGHT) / 2.0, (TOP + BOTTOM) / 2.0, "no successful request", "middle", 14, AXIS, false);
      return svg.finish();
    }
    int lowDecade = (int) Math.floor(Math.log10(Math.max(MIN_MILLIS, lowest)));
    int highDecade = (int) Math.ceil(Math.log10(Math.max(MIN_MILLIS, highest)));
    if (highDecade <= lowDecade) {
      highDecade = lowDecade + 1;
    }
    Scale scale = new Scale(lowDecade, highDecade);
    axes(svg, scale);
    for (KindResult kind : kinds) {
      String color = COLORS.get(kind.kind());
      curve(svg, scale, kind.completeHistogram(), color, null);
      curve(svg, scale, kind.firstByteHistogram(), color, "5 4");
    }
    legend(svg, kinds);
    return svg.finish();
  }

  private static void axes(Svg svg, Scale scale) {
    String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%"};
    for (int nines = 0; nines <= MAX_NINES; nines++) {
      double x = scale.x(nines);
      svg.line(x, TOP, x, BOTTOM, GRID, 1, null);
      svg.text(x, BOTTOM + 18, labels[nines], "middle", 11, AXIS, false);
    }
    double median = scale.x(Math.log10(2));
    svg.line(median, TOP, median, BOTTOM, GRID, 1, "2 3");
    svg.text(median, BOTTOM + 18, "50%", "middle", 11, AXIS, false);
    svg.text((LEFT + RIGHT) / 2.0, BOTTOM + 40, "percentile of requests", "middle", 12, AXIS, false);
    boolean fewDecades = scale.highDecade - scale.lowDecade <= 3;
    for (int decade = scale.lowDecade; decade <= scale.highDecade; decade++) {
      for (int multiple : new int[] {1, 2, 5}) {
        double millis = multiple * Math.pow(10, decade);
        if (decade == scale.highDecade && multiple > 1) {
          break;
        }
        double y = scale.y(millis);
        svg.line(LEFT, y, RIGHT, y, GRID, 1, multiple == 1 ? null : "2 3");
        if (multiple == 1 || fewDecades) {
          svg.text(LEFT - 6, y + 4, Figures.axisDuration(millis), "end", 11, AXIS, false);
        }
      }
    }
    svg.line(LEFT, BOTTOM, RIGHT, BOTTOM, AXIS, 1, null);
    svg.line(LEFT, TOP, LEFT, BOTTOM, AXIS, 1, null);
    svg.verticalText(18, (TOP + BOTTOM) / 2.0, "latency (log scale)", 12, AXIS);
  }

  private static void curve(Svg svg, Scale scale, Histogram histogram, String color, String dash) {
    long count = histogram.getTotalCount();
    if (count == 0) {
      return;
    }
    // A sample of n values resolves percentiles up to about 1 - 1/n: beyond that it only knows its max.
    double lastNines = Math.min(MAX_NINES, Math.max(STEP_NINES, Math.log10(count)));
    int steps = (int) Math.ceil(lastNines / STEP_NINES);
    double[] xs = new double[steps + 2];
    double[] ys = new double[steps + 2];
    for (int i = 0; i <= steps; i++) {
      double nines = Math.min(lastNines, i * STEP_NINES);
      double percentile = 100 * (1 - Math.pow(10, -nines));
      xs[i] = scale.x(nines);
      ys[i] = scale.y(histogram.getValueAtPercentile(percentile) / 1000.0);
    }
    double max = histogram.highestEquivalentValue(histogram.getMaxValue()) / 1000.0;
    xs[steps + 1] = scale.x(lastNines);
    ys[steps + 1] = scale.y(max);
    svg.polyline(xs, ys, color, dash == null ? 2.2 : 1.6, dash);
    if (dash == null) {
      svg.circle(xs[steps + 1], ys[steps + 1], 3, color, "max " + Figures.duration(max));
    }
  }

  private static void legend(Svg svg, List<KindResult> kinds) {
    double x = RIGHT + 24;
    double y = TOP + 8;
    for (KindResult kind : kinds) {
      String color = COLORS.get(kind.kind());
      svg.line(x, y, x + 28, y, color, 3, null);
      svg.text(x + 36, y + 4, kind.kind().label() + " (" + kind.ok() + ")", "start", 12, "#222", false);
      y += 22;
    }
    y += 10;
    svg.line(x, y, x + 28, y, AXIS, 2.2, null);
    svg.text(x + 36, y + 4, "time to complete", "start", 12, "#222", false);
    y += 22;
    svg.line(x, y, x + 28, y, AXIS, 1.6, "5 4");
    svg.text(x + 36, y + 4, "time to first byte", "start", 12, "#222", false);
    y += 22;
    svg.circle(x + 14, y, 3, AXIS, null);
    svg.text(x + 36, y + 4, "maximum", "start", 12, "#222", false);
  }

  private static double minMillis(Histogram histogram) {
    return histogram.getTotalCount() == 0 ? Double.MAX_VALUE : histogram.getMinValue() / 1000.0;
  }

  /** Maps nines to x and milliseconds (log) to y. */
  private record Scale(int lowDecade, int highDecade) {

    double x(double nines) {
      return LEFT + (RIGHT - LEFT) * nines / MAX_NINES;
    }

    double y(double millis) {
      double decades = Math.log10(Math.max(MIN_MILLIS, millis)) - lowDecade;
      double fraction = Math.max(0, Math.min(1, decades / (highDecade - lowDecade)));
      return BOTTOM - (BOTTOM - TOP) * fraction;
    }
  }
}
