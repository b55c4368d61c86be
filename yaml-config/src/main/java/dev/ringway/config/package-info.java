/**
 * The Ringway configuration: one YAML schema for server and client, loaded into immutable records
 * with every error reported at once (key, line, column, value and rule). {@link
 * dev.ringway.config.Settings} is the single catalogue of keys, defaults, limits and which keys
 * change live; loading, JMX writes ({@link dev.ringway.config.Tunables}), reload diffing, the
 * annotated defaults and the JSON Schema all read it.
 */
package dev.ringway.config;
