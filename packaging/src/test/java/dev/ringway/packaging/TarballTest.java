package dev.ringway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball, unpacked anywhere, runs Ringway's commands on the runtime it ships. */
class TarballTest {
  @TempDir static Path unpacked;
  static Path home;

  @BeforeAll
  static void unpack() {
    home = Artifacts.unpackTarball(unpacked);
  }

  @Test
  void holdsTheLauncherJarsRuntimeConfigurationUnitAndReadme() throws IOException {
    assertThat(Files.getPosixFilePermissions(home.resolve("bin/ringway")))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(Files.isExecutable(home.resolve("runtime/bin/java"))).isTrue();
    assertThat(home.resolve("lib/ringway-server-" + Artifacts.mavenVersion() + ".jar")).exists();
    assertThat(home.resolve("lib/ringway-client-" + Artifacts.mavenVersion() + ".jar")).exists();
    assertThat(home.resolve("conf/ringway.yaml")).isRegularFile();
    assertThat(home.resolve("systemd/ringway.service")).hasSameTextualContentAs(Artifacts.unit());
    assertThat(home.resolve("README.md")).content().contains("CAP_NET_ADMIN");
  }

  @Test
  void runtimeHoldsOnlyTheModulesRingwayNeeds() {
    String listed = run("runtime/bin/java", "--list-modules").orThrow().output();
    Set<String> modules =
        listed
            .lines()
            .map(line -> line.split("@")[0].trim())
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(modules)
        .isEqualTo(withRequirements(Artifacts.runtimeModules()))
        .doesNotContain("java.instrument");
    assertThat(run("runtime/bin/java", "-version").output()).contains("version \"25");
  }

  @Test
  void eachCommandHasItsOwnClassPathOfShippedJars() throws IOException {
    List<String> server = classPath("server");
    List<String> client = classPath("client");

    assertThat(server).contains("lib/ringway-server-" + Artifacts.mavenVersion() + ".jar");
    assertThat(server).noneMatch(entry -> entry.contains("ringway-client"));
    assertThat(client).contains("lib/ringway-client-" + Artifacts.mavenVersion() + ".jar");
    assertThat(client).noneMatch(entry -> entry.contains("ringway-server"));
    List<String> console = classPath("console");
    assertThat(console)
        .contains("lib/ringway-console-" + Artifacts.mavenVersion() + ".jar")
        .anyMatch(entry -> entry.matches("lib/javafx-graphics-.*-linux\\.jar"))
        .noneMatch(entry -> entry.contains("ringway-server") || entry.contains("ringway-client"));
    assertThat(server).noneMatch(entry -> entry.contains("javafx"));
    List<String> all = new ArrayList<>(server);
    all.addAll(client);
    all.addAll(console);
    assertThat(all).allSatisfy(entry -> assertThat(home.resolve(entry)).isRegularFile());
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.filter(jar -> jar.toString().endsWith(".jar")))
          .allSatisfy(jar -> assertThat(all).contains("lib/" + jar.getFileName()));
    }
  }

  @Test
  void shippedConfigurationIsTheCommentedDefaultsAndPassesConfigCheck() throws IOException {
    Path conf = home.resolve("conf/ringway.yaml");
    String defaults =
        run("bin/ringway", "config", "defaults", "--role", "server").orThrow().output();

    assertThat(Files.readString(conf, StandardCharsets.UTF_8)).isEqualTo(defaults);
    assertThat(defaults.lines().filter(line -> line.strip().startsWith("#")).count())
        .isGreaterThan(20);
    assertThat(defaults).contains("stateDir: /var/lib/ringway");
    assertThat(run("bin/ringway", "config", "check", conf.toString()).exitCode()).isZero();
  }

  @Test
  void configurationErrorsExitWith2AndNameTheKey() throws IOException {
    Path bad = unpacked.resolve("bad.yaml");
    Files.writeString(bad, "mode: carrier-pigeon\nio:\n  tun:\n    rxSlots: 0\n");

    Commands.Result check = run("bin/ringway", "config", "check", bad.toString());

    assertThat(check.exitCode()).isEqualTo(2);
    assertThat(check.output()).contains("mode").contains("io.tun.rxSlots");
  }

  @Test
  void clientCommandRunsOnTheBundledRuntime() {
    Commands.Result help = run("bin/ringway", "client", "--help");

    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).contains("--set").doesNotContain("occurs multiple times");
  }

  @Test
  void consoleCommandReachesTheConsoleOnItsClassPath() {
    // Its usage error comes from ConsoleMain before JavaFX starts, so it needs no display.
    Commands.Result usage = run("bin/ringway", "console", "--bogus");

    assertThat(usage.exitCode()).as(usage.output()).isEqualTo(2);
    assertThat(usage.output()).contains("usage: ringway console");
  }

  @Test
  void consoleStartsJavaFxOnTheBundledRuntimeAsFarAsTheDisplay() {
    // No display here (and none wanted): getting as far as asking for one shows that the runtime
    // holds every module JavaFX needs and that its linux-x86_64 jars are on the class path.
    Commands.Result console =
        Commands.run(
            Duration.ofSeconds(60),
            List.of(
                "env",
                "-u",
                "DISPLAY",
                "-u",
                "WAYLAND_DISPLAY",
                home.resolve("bin/ringway").toString(),
                "console"));

    assertThat(console.output())
        .contains("Unable to open DISPLAY")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("ClassNotFoundException");
    assertThat(console.exitCode()).isNotIn(0, -1);
  }

  @Test
  void unknownCommandPrintsTheUsageAndExits2() {
    Commands.Result unknown = run("bin/ringway", "teleport");

    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("unknown command: teleport").contains("Usage:");
  }

  /** The modules named plus every module they require, as jlink resolves them. */
  private static Set<String> withRequirements(Set<String> named) {
    ModuleFinder jdk = ModuleFinder.ofSystem();
    Set<String> closure = new TreeSet<>();
    Deque<String> pending = new ArrayDeque<>(named);
    while (!pending.isEmpty()) {
      String module = pending.pop();
      if (closure.add(module)) {
        jdk.find(module)
            .orElseThrow()
            .descriptor()
            .requires()
            .forEach(requires -> {
              if (!requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                pending.push(requires.name());
              }
            });
      }
    }
    return closure;
  }

  private static List<String> classPath(String command) throws IOException {
    String list = Files.readString(home.resolve("lib/" + command + ".classpath")).strip();
    return Arrays.asList(list.split(":"));
  }

  /** Runs a program of the unpacked tree from an unrelated directory, as an operator would. */
  private static Commands.Result run(String program, String... args) {
    List<String> command = new ArrayList<>();
    command.add(home.resolve(program).toString());
    command.addAll(Arrays.asList(args));
    return Commands.run(Duration.ofSeconds(60), command);
  }
}
