/**
 * The Ringway operator console: a JavaFX application that talks to a running server over JMX only —
 * live charts of its I/O paths, live tuning with the server's own validation rules, its connections
 * and its notifications. This package holds the entry point.
 */
package dev.ringway.console;
