package dev.ringway.server.cli;

import dev.ringway.config.ConfigCheck;
import dev.ringway.config.DefaultsWriter;
import dev.ringway.config.JsonSchema;
import dev.ringway.config.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ringway config check|defaults|schema}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check a configuration file, print the defaults, or print the JSON Schema.",
    subcommands = {
      ConfigCommand.Check.class,
      ConfigCommand.Defaults.class,
      ConfigCommand.Schema.class
    })
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Validate FILE: exit 0 when valid, 2 with every error (file:line:column: key: rule).")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the YAML file")
    Path file;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "override a dotted key; wins over the file")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(
        names = "--role",
        paramLabel = "server|client",
        description = "check as this role (default: inferred from the keys the file sets)")
    String role;

    @Override
    public Integer call() {
      ConfigCheck.Result result = ConfigCheck.check(file, sets, parseRole(spec, role));
      PrintWriter out =
          result.exitCode() == ConfigCheck.VALID
              ? spec.commandLine().getOut()
              : spec.commandLine().getErr();
      result.lines().forEach(out::println);
      out.flush();
      return result.exitCode();
    }
  }

  @Command(
      name = "defaults",
      mixinStandardHelpOptions = true,
      description = "Print the full default configuration with a comment per key.")
  static final class Defaults implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--role",
        paramLabel = "server|client",
        description = "only the keys of this role (default: every key)")
    String role;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(DefaultsWriter.annotatedYaml(parseRole(spec, role)));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "schema",
      mixinStandardHelpOptions = true,
      description = "Print the JSON Schema of the configuration (for editors' YAML support).")
  static final class Schema implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.println(JsonSchema.generate());
      out.flush();
      return 0;
    }
  }

  private static Role parseRole(CommandSpec spec, String role) {
    if (role == null) {
      return null;
    }
    return switch (role) {
      case "server" -> Role.SERVER;
      case "client" -> Role.CLIENT;
      default ->
          throw new picocli.CommandLine.ParameterException(
              spec.commandLine(), "--role must be server or client, not '" + role + "'");
    };
  }
}
