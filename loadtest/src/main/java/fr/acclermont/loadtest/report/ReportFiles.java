package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run's reports into a directory: {@code <command>.json} and {@code <command>.html} for a
 * classroom or school day, {@code <command>.json} for a scenario on one object.
 */
public final class ReportFiles {

  private ReportFiles() {}

  /**
   * Writes both reports into {@code directory} (created if needed), replacing earlier ones of the
   * same command, and returns their paths (JSON, then HTML).
   */
  public static List<Path> write(Path directory, RunReport report) throws IOException {
    requireNonNull(directory, "directory");
    requireNonNull(report, "report");
    Files.createDirectories(directory);
    Path json = directory.resolve(report.command() + ".json");
    Path html = directory.resolve(report.command() + ".html");
    Files.writeString(json, JsonReport.render(report), StandardCharsets.UTF_8);
    Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
    return List.of(json, html);
  }

  /**
   * Writes the JSON report of a scenario on one object into {@code directory} (created if needed),
   * replacing an earlier one of the same command, and returns the paths written (the JSON alone).
   */
  public static List<Path> write(Path directory, ObjectRun run) throws IOException {
    requireNonNull(directory, "directory");
    requireNonNull(run, "run");
    Files.createDirectories(directory);
    Path json = directory.resolve(run.command() + ".json");
    Files.writeString(json, ObjectJsonReport.render(run), StandardCharsets.UTF_8);
    return List.of(json);
  }
}
