/**
 * The command line behind {@code ./ringway}: one picocli command per subcommand of DESIGN.md's
 * command table. Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
 */
package dev.ringway.server.cli;
