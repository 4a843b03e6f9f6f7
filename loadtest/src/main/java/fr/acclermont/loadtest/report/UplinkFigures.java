package fr.acclermont.loadtest.report;

/**
 * What crossed the school's uplink during a round, from the origin's {@code /_origin/stats}: the
 * requests the origin received and the body bytes it sent (control paths excluded).
 *
 * @param requests requests received by the origin
 * @param bytes response body bytes sent by the origin
 */
public record UplinkFigures(long requests, long bytes) {}
