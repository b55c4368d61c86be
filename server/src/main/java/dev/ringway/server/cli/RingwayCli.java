package dev.ringway.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ringway} command and its subcommands. */
@Command(
    name = "ringway",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A Lightway-protocol VPN server whose data plane runs on one io_uring ring.",
    subcommands = {ServerCommand.class, ConfigCommand.class, DecodeCommand.class})
public final class RingwayCli {
  /** Runtime failure. */
  static final int RUNTIME_FAILURE = 1;

  /** Usage or configuration error. */
  static final int USAGE = 2;

  /** Runs {@code args} and exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Ringway's exit codes, for {@link #main} and for tests. */
  static CommandLine commandLine() {
    return new CommandLine(new RingwayCli())
        .setExitCodeExceptionMapper(e -> RUNTIME_FAILURE)
        .setParameterExceptionHandler((e, args) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("ringway: " + e.getMessage());
          cmd.usage(cmd.getErr());
          return USAGE;
        });
  }
}
