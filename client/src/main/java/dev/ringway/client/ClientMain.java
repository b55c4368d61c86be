package dev.ringway.client;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigError;
import dev.ringway.config.ConfigLoader;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.config.Role;
import dev.ringway.core.tls.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringway client [-c FILE] [--set KEY=VALUE]…}: loads the configuration as a client's, opens
 * the TUN device and runs {@link UdpClient} or {@link TcpClient} (by {@code mode}) until SIGTERM or
 * SIGINT. Exit 0 after a clean stop, 1 when the client cannot run (with what is missing and how to
 * provide it), 2 for a usage or configuration error (every error printed).
 */
@Command(
    name = "ringway client",
    mixinStandardHelpOptions = true,
    description = "Connect to a Ringway or Lightway server and route a TUN device through it.")
public final class ClientMain implements Callable<Integer> {
  static final int CLEAN = 0;
  static final int RUNTIME_FAILURE = 1;
  static final int USAGE = 2;

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "the YAML configuration (default: built-in defaults plus --set)")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "override a dotted key; wins over the file")
  Map<String, String> sets = new LinkedHashMap<>();

  /** Runs {@code args} and exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Ringway's exit codes, for {@link #main} and for tests. */
  static CommandLine commandLine() {
    return new CommandLine(new ClientMain())
        .setExitCodeExceptionMapper(e -> RUNTIME_FAILURE)
        .setParameterExceptionHandler((e, args) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("ringway client: " + e.getMessage());
          cmd.usage(cmd.getErr());
          return USAGE;
        });
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Config config;
    switch (ConfigLoader.load(file, sets, Role.CLIENT)) {
      case ConfigOutcome.Valid valid -> config = valid.config();
      case ConfigOutcome.Invalid invalid -> {
        for (ConfigError error : invalid.errors()) {
          err.println(error.render());
        }
        err.flush();
        return USAGE;
      }
    }
    ClientSettings settings;
    try {
      settings = ClientSettings.from(config);
    } catch (ClientSettings.Invalid invalid) {
      invalid.problems().forEach(problem -> err.println("ringway client: " + problem));
      err.flush();
      return USAGE;
    }
    StopSignals signals = StopSignals.install();
    Logging.apply(config.log());
    TunnelClient client =
        settings.transport() == Transport.STREAM
            ? new TcpClient(settings, RandomGenerator.getDefault())
            : new UdpClient(settings, RandomGenerator.getDefault());
    signals.started(client);
    int code = CLEAN;
    try {
      client.run();
    } catch (ClientFailure failure) {
      err.println("ringway client: " + failure.getMessage());
      err.flush();
      code = RUNTIME_FAILURE;
    }
    signals.finished();
    return code;
  }
}
