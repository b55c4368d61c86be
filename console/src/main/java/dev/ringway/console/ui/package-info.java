/**
 * The JavaFX console: the connect bar and state banner, the dashboard of canvas-drawn time-series
 * charts, the tuning pane, the connections table and the event log. It renders what {@code
 * dev.ringway.console.link} reports and calls the link off the JavaFX thread.
 */
package dev.ringway.console.ui;
