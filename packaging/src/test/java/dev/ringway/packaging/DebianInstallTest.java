package dev.ringway.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The package's life on a machine: {@code dpkg -i}, the packaged server running unprivileged and
 * carrying a client's ping, a reinstall over an edited conffile, {@code dpkg --remove}, {@code dpkg
 * --purge}. It installs on the test machine itself (a throwaway CI machine, as root) and purges
 * afterwards even when a step fails. There is no systemd here, so the server is started the way its
 * unit would start it: as the {@code ringway} user with CAP_NET_ADMIN as its only capability,
 * through {@code setpriv}.
 */
@NetnsTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianInstallTest {
  /** CAP_NET_ADMIN is capability 12. */
  private static final String ONLY_NET_ADMIN = "0000000000001000";

  private static final Path TUN = Path.of("/dev/net/tun");
  private static final Duration START = Duration.ofSeconds(60);

  private static String tunMode;

  @BeforeAll
  static void install() throws IOException {
    purge(); // what an earlier, killed run left
    // udev's default rule makes /dev/net/tun 0666 on a Debian machine, so an unprivileged server
    // with CAP_NET_ADMIN can open it; this machine has no udev, so do what the rule does.
    tunMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(TUN));
    Files.setPosixFilePermissions(TUN, PosixFilePermissions.fromString("rw-rw-rw-"));
    dpkg("-i", Artifacts.deb().toString());
  }

  @AfterAll
  static void purgeAndRestore() throws IOException {
    try {
      purge();
    } finally {
      if (tunMode != null) {
        Files.setPosixFilePermissions(TUN, PosixFilePermissions.fromString(tunMode));
      }
    }
  }

  @Test
  @Order(1)
  void createsTheRingwaySystemUserWithItsPrivateStateDirectory() throws IOException {
    String[] user =
        Commands.run("getent", "passwd", "ringway").orThrow().output().strip().split(":");

    assertThat(Integer.parseInt(user[2])).isLessThan(1000);
    assertThat(user[5]).isEqualTo("/var/lib/ringway");
    assertThat(user[6]).isEqualTo("/usr/sbin/nologin");
    Path state = Path.of("/var/lib/ringway");
    assertThat(Files.getOwner(state).getName()).isEqualTo("ringway");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwxr-x---");
  }

  @Test
  @Order(1)
  void installsTheCommandTheConffileAndTheUnit() {
    String conffiles =
        Commands.run("dpkg-query", "-W", "-f=${Conffiles}", "ringway").orThrow().output();

    assertThat(conffiles).contains("/etc/ringway/ringway.yaml");
    assertThat(Path.of("/usr/lib/systemd/system/ringway.service")).exists();
    assertThat(Commands.run("/usr/bin/ringway", "config", "check", "/etc/ringway/ringway.yaml"))
        .extracting(Commands.Result::exitCode)
        .isEqualTo(0);
  }

  @Test
  @Order(1)
  void unitPassesSystemdAnalyzeVerify() {
    assumeTrue(
        Commands.which("systemd-analyze").isPresent(),
        "systemd-analyze is not installed; SystemdUnitTest checks the unit's keys");

    Commands.Result verify =
        Commands.run("systemd-analyze", "verify", "/usr/lib/systemd/system/ringway.service");

    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).as(verify.output()).doesNotContain("ringway.service:");
  }

  @Test
  @Order(2)
  void packagedServerRunsAsRingwayWithOnlyNetAdminAndCarriesAClientsPing() throws Exception {
    try (Netns serverNs = Netns.create("pkgsrv");
        Netns clientNs = Netns.create("pkgcli")) {
      clientNs.link(serverNs, "192.0.2.2", "192.0.2.1");
      try (RunningProcess server = startUnprivilegedServer(serverNs)) {
        Map<String, String> status = processStatus(server.pid());
        assertThat(status.get("Uid").split("\\s+")).containsOnly(uidOf("ringway"));
        assertThat(status.get("CapEff")).isEqualTo(ONLY_NET_ADMIN);
        assertThat(status.get("CapPrm")).isEqualTo(ONLY_NET_ADMIN);
        assertThat(status.get("CapBnd")).isEqualTo(ONLY_NET_ADMIN);
        assertThat(status.get("NoNewPrivs")).isEqualTo("1");
        assertThat(Files.getOwner(Path.of("/var/lib/ringway/server.crt")).getName())
            .isEqualTo("ringway");

        try (RunningProcess client = startPackagedClient(clientNs)) {
          awaitShowingOutput(
              "the packaged client to come online",
              () -> client.output().contains("online over"),
              client,
              server);
          Commands.Result ping =
              clientNs.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.125.0.6");

          assertThat(ping.exitCode()).as(ping.output() + "\n" + server).isZero();
          assertThat(ping.output()).contains("3 received");
          assertThat(server.output()).contains("online as");
        }
        assertThat(server.stop(Duration.ofSeconds(10))).as(server.toString()).isZero();
      }
    }
  }

  @Test
  @Order(2)
  void reloadsTheConffileOnSighupAsExecReloadSendsIt() throws Exception {
    Path conffile = Path.of("/etc/ringway/ringway.yaml");
    String installed = Files.readString(conffile);
    try (Netns serverNs = Netns.create("pkgrld");
        RunningProcess server = startUnprivilegedServer(serverNs)) {
      // The first rxSlots key of the defaults is io.tun.rxSlots, a live key.
      Files.writeString(conffile, installed.replaceFirst("rxSlots: 64\n", "rxSlots: 48\n"));

      Commands.run("/bin/kill", "-HUP", String.valueOf(server.pid())).orThrow();

      awaitShowingOutput(
          "the reload to be logged", () -> server.output().contains("SIGHUP: reload"), server);
      assertThat(server.output()).contains("io.tun.rxSlots 64 → 48");
      assertThat(server.isAlive()).as(server.toString()).isTrue();
    } finally {
      Files.writeString(conffile, installed);
    }
  }

  @Test
  @Order(3)
  void withoutNetAdminThePackagedServerSaysWhatIsMissing() throws Exception {
    try (Netns serverNs = Netns.create("pkgcap")) {
      List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", serverNs.name()));
      command.addAll(
          List.of(
              "setpriv",
              "--reuid=ringway",
              "--regid=ringway",
              "--init-groups",
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--no-new-privs",
              "/usr/bin/ringway",
              "server",
              "-c",
              "/etc/ringway/ringway.yaml"));

      Commands.Result server = Commands.run(START, command);

      assertThat(server.exitCode()).as(server.output()).isEqualTo(1);
      assertThat(server.output()).contains("CAP_NET_ADMIN");
    }
  }

  @Test
  @Order(4)
  void reinstallingKeepsAnEditedConfiguration() throws IOException {
    Path conffile = Path.of("/etc/ringway/ringway.yaml");
    String edited = Files.readString(conffile) + "# edited by the operator\n";
    Files.writeString(conffile, edited);

    dpkg("-i", Artifacts.deb().toString());

    assertThat(conffile).hasContent(edited);
    assertThat(Path.of("/etc/ringway/ringway.yaml.dpkg-dist")).doesNotExist();
    assertThat(Commands.run("/usr/bin/ringway", "config", "check", conffile.toString()).exitCode())
        .isZero();
  }

  @Test
  @Order(5)
  void removingKeepsTheConfigurationTheStateAndTheUser() {
    dpkg("--remove", "ringway");

    assertThat(Path.of("/usr/lib/ringway")).doesNotExist();
    assertThat(Path.of("/usr/bin/ringway")).doesNotExist();
    assertThat(Path.of("/etc/ringway/ringway.yaml")).exists();
    assertThat(Path.of("/var/lib/ringway/server.crt")).exists();
    assertThat(Commands.run("getent", "passwd", "ringway").exitCode()).isZero();
    assertThat(Commands.run("dpkg-query", "-W", "-f=${db:Status-Status}", "ringway").output())
        .isEqualTo("config-files");
  }

  @Test
  @Order(6)
  void purgeLeavesNothingBehind() throws IOException {
    dpkg("--purge", "ringway");

    assertThat(Commands.run("dpkg-query", "-W", "ringway").exitCode()).isNotZero();
    assertThat(Commands.run("getent", "passwd", "ringway").exitCode()).isNotZero();
    assertThat(Commands.run("getent", "group", "ringway").exitCode()).isNotZero();
    for (String path :
        List.of(
            "/var/lib/ringway",
            "/etc/ringway",
            "/usr/lib/ringway",
            "/usr/bin/ringway",
            "/usr/lib/systemd/system/ringway.service",
            "/usr/share/doc/ringway",
            "/usr/share/man/man1/ringway.1.gz")) {
      assertThat(Path.of(path)).matches(p -> !Files.exists(p, LinkOption.NOFOLLOW_LINKS), "gone");
    }
    assertThat(filesNamedRingway(Path.of("/etc/systemd"))).isEmpty();
    assertThat(filesNamedRingway(Path.of("/var/lib/systemd"))).isEmpty();
  }

  /** Starts the installed server as its unit would: user ringway, CAP_NET_ADMIN only. */
  private static RunningProcess startUnprivilegedServer(Netns netns) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns.name()));
    command.addAll(
        List.of(
            "setpriv",
            "--reuid=ringway",
            "--regid=ringway",
            "--init-groups",
            "--inh-caps=+net_admin",
            "--ambient-caps=+net_admin",
            "--bounding-set=-all,+net_admin",
            "--no-new-privs",
            "/usr/bin/ringway",
            "server",
            "-c",
            "/etc/ringway/ringway.yaml"));
    RunningProcess server = RunningProcess.start("packaged server", command);
    try {
      awaitShowingOutput(
          "the packaged server to start",
          () -> server.output().contains("connect a client") || !server.isAlive(),
          server);
      assertThat(server.isAlive()).as(server.toString()).isTrue();
      return server;
    } catch (AssertionError e) {
      // A server left running as ringway would make the purge's userdel fail.
      server.close();
      throw e;
    }
  }

  /** Waits for {@code condition}; on timeout the failure shows what the processes printed. */
  private static void awaitShowingOutput(
      String what, BooleanSupplier condition, RunningProcess... processes) {
    try {
      Await.until(what, START, condition);
    } catch (AssertionError e) {
      StringBuilder outputs = new StringBuilder(e.getMessage());
      for (RunningProcess process : processes) {
        outputs.append('\n').append(process);
      }
      throw new AssertionError(outputs.toString(), e);
    }
  }

  private static RunningProcess startPackagedClient(Netns netns) {
    return RunningProcess.start(
        "packaged client",
        List.of(
            "ip",
            "netns",
            "exec",
            netns.name(),
            "/usr/bin/ringway",
            "client",
            "--set",
            "server=192.0.2.1:27690",
            "--set",
            "tls.ca=/var/lib/ringway/server.crt",
            "--set",
            "auth.user=demo",
            "--set",
            "auth.passwordFile=/var/lib/ringway/demo.pass"));
  }

  /** The "Key: value" lines of /proc/PID/status; every process here execs, so PID is the JVM. */
  private static Map<String, String> processStatus(long pid) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
      return lines
          .filter(line -> line.contains(":"))
          .collect(
              Collectors.toMap(
                  line -> line.substring(0, line.indexOf(':')),
                  line -> line.substring(line.indexOf(':') + 1).strip()));
    }
  }

  private static String uidOf(String user) {
    return Commands.run("id", "-u", user).orThrow().output().strip();
  }

  private static List<Path> filesNamedRingway(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().contains("ringway")).toList();
    }
  }

  private static void purge() {
    if (Commands.run("dpkg-query", "-W", "ringway").exitCode() == 0) {
      dpkg("--purge", "ringway");
    }
  }

  /**
   * Runs dpkg, waiting while another dpkg or apt (the launcher installing test packages) holds its
   * lock.
   */
  private static void dpkg(String... args) {
    List<String> command = new ArrayList<>(List.of("dpkg"));
    command.addAll(List.of(args));
    Await.value(
            "dpkg's lock, to run " + String.join(" ", command),
            Duration.ofMinutes(3),
            () -> {
              Commands.Result result = Commands.run(Duration.ofMinutes(2), command);
              return result.exitCode() != 0 && result.output().contains("lock") ? null : result;
            })
        .orThrow();
  }
}
