/**
 * What the console remembers of a server's figures: one row per sample, one column per charted
 * series, kept for the longest time window the dashboard shows, and written out as CSV. No JavaFX,
 * so the numbers the charts draw are testable on their own.
 */
package dev.ringway.console.history;
