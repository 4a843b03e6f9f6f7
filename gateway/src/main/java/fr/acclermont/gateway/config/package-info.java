/**
 * The gateway's configuration: immutable records, and the loader that reads them from YAML.
 *
 * <p>{@link fr.acclermont.gateway.config.ConfigLoader} reads a YAML file (or text) into a
 * {@link fr.acclermont.gateway.config.GatewayConfig}. Every option has a default except
 * {@code origins}. {@code ${VAR}} and {@code ${VAR:-default}} inside a value are replaced from the
 * environment. Unknown keys, wrong types and impossible values fail with a
 * {@link fr.acclermont.gateway.config.ConfigException} whose message is one line naming the key,
 * the bad value and the expected form. Sizes ({@code 512MiB}) and durations ({@code 10s}) are
 * parsed and formatted by {@link fr.acclermont.gateway.config.Sizes} and
 * {@link fr.acclermont.gateway.config.Durations}.
 *
 * <p>This package has no Netty dependency: the server, origin and cache packages read the records.
 */
package fr.acclermont.gateway.config;
