/**
 * The console's side of the JMX contract, with no JavaFX in it: reaching a server (address, login,
 * TLS), polling its {@code Snapshot} once a second and turning counter deltas into rates by the
 * server's own clock, reconnecting when the server goes away, and reading, validating and applying
 * tunables. The UI only renders what this package reports.
 */
package dev.ringway.console.link;
