/**
 * Recording and reporting a load run: {@link fr.acclermont.loadtest.report.RunRecorder} collects
 * request results into HdrHistograms while the run goes on;
 * {@link fr.acclermont.loadtest.report.RoundResult} is the frozen outcome of one round;
 * {@link fr.acclermont.loadtest.report.ConsoleSummary},
 * {@link fr.acclermont.loadtest.report.JsonReport} and
 * {@link fr.acclermont.loadtest.report.HtmlReport} render a
 * {@link fr.acclermont.loadtest.report.RunReport} for a terminal, for scripts and for people.
 *
 * <p>Latencies are recorded in microseconds with 3 significant digits, up to an hour, and shown
 * in milliseconds. Every latency is measured from the request's intended start.
 */
package fr.acclermont.loadtest.report;
