package dev.ringway.server.cli;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigLoader;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.config.Role;
import dev.ringway.server.ServerLauncher;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringway server [-c FILE] [--set KEY=VALUE]…}. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the server. With no file it runs on the embedded defaults and generates a self-signed"
          + " certificate and a demo user in stateDir on first start.",
      "SIGTERM or SIGINT says Goodbye to every client and exits 0."
    })
final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "the YAML configuration")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "override a dotted key; wins over the file")
  Map<String, String> sets = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Config config;
    switch (ConfigLoader.load(file, sets, Role.SERVER)) {
      case ConfigOutcome.Valid valid -> config = valid.config();
      case ConfigOutcome.Invalid invalid -> {
        invalid.errors().forEach(e -> spec.commandLine().getErr().println(e.render()));
        spec.commandLine().getErr().flush();
        return RingwayCli.USAGE;
      }
    }
    dev.ringway.server.Logging.apply(config.log());
    // Reload (SIGHUP, JMX Server.reload) reads the same file with the same --set values again.
    Path source = file;
    Map<String, String> overrides = Map.copyOf(sets);
    return ServerLauncher.run(
        config,
        source == null ? null : () -> ConfigLoader.load(source, overrides, Role.SERVER),
        spec.commandLine().getErr());
  }
}
