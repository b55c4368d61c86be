package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final Map<String, String> NO_SETS = Map.of();
  private static final Map<String, String> EMPTY_ENVIRONMENT = Map.of();

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static Config valid(ConfigOutcome outcome) {
    assertThat(outcome).isInstanceOf(ConfigOutcome.Valid.class);
    return ((ConfigOutcome.Valid) outcome).config();
  }

  private static List<String> errors(ConfigOutcome outcome) {
    assertThat(outcome).isInstanceOf(ConfigOutcome.Invalid.class);
    return ((ConfigOutcome.Invalid) outcome).errors().stream().map(ConfigError::render).toList();
  }

  private static ConfigOutcome load(Path file, Map<String, String> sets, Role role) {
    return ConfigLoader.load(file, sets, role, EMPTY_ENVIRONMENT::get);
  }

  @Test
  void aServerWithoutAFileRunsOnTheDefaults() {
    assertThat(valid(load(null, NO_SETS, Role.SERVER))).isEqualTo(Config.defaults());
  }

  @Test
  void theDefaultsAreTheDocumentedValues() {
    Config defaults = Config.defaults();
    assertThat(defaults.mode()).isEqualTo(Config.Mode.UDP);
    assertThat(defaults.bind()).isEqualTo(new Endpoint("0.0.0.0", 27690));
    assertThat(defaults.io().ring()).isEqualTo(new Config.Ring(1024, Duration.ZERO));
    assertThat(defaults.io().tun()).isEqualTo(new Config.Tun(64, false));
    assertThat(defaults.io().udp()).isEqualTo(new Config.Udp(32, 15 * 1024 * 1024));
    assertThat(defaults.io().tcp()).isEqualTo(new Config.Tcp(256 * 1024, 256));
    assertThat(defaults.io().tx().slots()).isEqualTo(512);
    assertThat(defaults.network().pool().toString()).isEqualTo("10.125.0.0/16");
    assertThat(defaults.jmx().bind()).isEqualTo(new Endpoint("127.0.0.1", 27691));
    assertThat(defaults.log().level()).isEqualTo(Config.LogLevel.INFO);
    assertThat(defaults.keepalive())
        .isEqualTo(new Config.Keepalive(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    assertThat(defaults.session())
        .isEqualTo(new Config.Session(Duration.ofSeconds(60), Duration.ofHours(24)));
  }

  @Test
  void aClientWithoutAFileIsToldEverythingItLacks() {
    assertThat(errors(load(null, NO_SETS, Role.CLIENT)))
        .containsExactly(
            "(defaults): server: missing — a client needs the server's address, e.g. server:"
                + " vpn.example.com:27690",
            "(defaults): tls.ca: missing — a client verifies the server's certificate against"
                + " tls.ca (tls.insecure: true skips that, for tests only)",
            "(defaults): auth.user: missing — a client needs credentials: auth.user with"
                + " auth.passwordFile, or auth.tokenFile");
  }

  @Test
  void aMissingConfigurationFileIsNamedWithItsAbsolutePath() {
    Path missing = dir.resolve("nowhere.yaml");
    assertThat(errors(load(missing, NO_SETS, Role.SERVER)))
        .containsExactly(missing + ": file not found: " + missing.toAbsolutePath());
  }

  @Test
  void aDirectoryGivenAsTheConfigurationFileIsNamed() {
    assertThat(errors(load(dir, NO_SETS, Role.SERVER)))
        .containsExactly(dir + ": is a directory, not a configuration file: " + dir);
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'m', 'o', 'd', 'e', ':', ' ', (byte) 0xe9, '\n'});

    assertThat(errors(load(file, NO_SETS, Role.SERVER)))
        .containsExactly(file + ": not UTF-8 text: " + file);
  }

  @Test
  void aCompleteClientFileLoadsEveryValue() throws IOException {
    write("etc/ca.crt", "ca");
    write("etc/alice.pass", "secret");
    Path file =
        write(
            "etc/client.yaml",
            """
            mode: tcp
            server: "[2001:db8::1]:443"
            tls: { ca: ca.crt }
            auth:
              user: alice
              passwordFile: alice.pass
            network: { tun: rw1, mtu: 1280 }
            io:
              engine: nio
              ring: { entries: 512, sqpollIdle: 100ms }
              tcp: { socketBuffer: 1MiB, maxConnections: 4 }
            keepalive: { interval: 5s, timeout: 15s }
            reconnect: { initialBackoff: 500ms, maxBackoff: 1m }
            log: { level: debug, format: json }
            """);

    Config config = valid(load(file, NO_SETS, Role.CLIENT));

    assertThat(config.mode()).isEqualTo(Config.Mode.TCP);
    assertThat(config.server()).isEqualTo(new Endpoint("2001:db8::1", 443));
    assertThat(config.tls().ca()).isEqualTo(dir.resolve("etc/ca.crt"));
    assertThat(config.auth().passwordFile()).isEqualTo(dir.resolve("etc/alice.pass"));
    assertThat(config.network().tun()).isEqualTo("rw1");
    assertThat(config.io().engine()).isEqualTo(Config.Engine.NIO);
    assertThat(config.io().ring()).isEqualTo(new Config.Ring(512, Duration.ofMillis(100)));
    assertThat(config.io().tcp()).isEqualTo(new Config.Tcp(1 << 20, 4));
    assertThat(config.keepalive().timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.reconnect().maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.log().format()).isEqualTo(Config.LogFormat.JSON);
  }

  @Test
  void relativePathsResolveAgainstTheFilesDirectoryNotTheWorkingDirectory() throws IOException {
    write("conf/certs/server.crt", "cert");
    write("conf/certs/server.key", "key");
    Path file =
        write(
            "conf/server.yaml",
            "tls: { cert: certs/server.crt, key: ./certs/../certs/server.key }\n");

    Config config = valid(load(file, NO_SETS, Role.SERVER));

    assertThat(config.tls().cert()).isEqualTo(dir.resolve("conf/certs/server.crt"));
    assertThat(config.tls().key()).isEqualTo(dir.resolve("conf/certs/server.key"));
  }

  @Test
  void aMissingCertificateNamesTheAbsolutePathItTried() throws IOException {
    Path file = write("conf/server.yaml", "tls:\n  cert: certs/server.crt\n  key: /etc/none.key\n");

    assertThat(errors(load(file, NO_SETS, Role.SERVER)))
        .containsExactly(
            file + ":2:3: tls.cert: file not found: " + dir.resolve("conf/certs/server.crt"),
            file + ":3:3: tls.key: file not found: /etc/none.key");
  }

  @Test
  void filesOfTheOtherRoleAreNotRequiredToExist() throws IOException {
    Path file = write("server.yaml", "tls: { ca: client-only-ca.crt }\n");

    assertThat(valid(load(file, NO_SETS, Role.SERVER)).tls().ca())
        .isEqualTo(dir.resolve("client-only-ca.crt"));
  }

  @Test
  void environmentVariablesAreSubstitutedWithDefaultsAndEscapes() throws IOException {
    write("pw", "x");
    Path file =
        write(
            "server.yaml",
            """
            bind: ${BIND_HOST}:${BIND_PORT:-27690}
            network: { tun: "${TUN:-rw0}" }
            jmx:
              users:
                - { name: ops, password: "$${not-a-variable}${JMX_SUFFIX}", role: operator }
            io: { tun: { rxSlots: "${SLOTS}" } }
            """);
    Map<String, String> environment =
        Map.of("BIND_HOST", "192.0.2.7", "JMX_SUFFIX", "-42", "SLOTS", "16", "TUN", "");

    Config config = valid(ConfigLoader.load(file, NO_SETS, Role.SERVER, environment::get));

    assertThat(config.bind()).isEqualTo(new Endpoint("192.0.2.7", 27690));
    assertThat(config.network().tun()).isEqualTo("rw0");
    assertThat(config.jmx().users().getFirst().password()).isEqualTo("${not-a-variable}-42");
    assertThat(config.io().tun().rxSlots()).isEqualTo(16);
  }

  @Test
  void anUnsetVariableWithoutDefaultIsAnErrorAtItsKey() throws IOException {
    Path file = write("server.yaml", "network:\n  mtu: ${MTU}\n");

    assertThat(errors(load(file, NO_SETS, Role.SERVER)))
        .containsExactly(
            file
                + ":2:3: network.mtu: environment variable MTU is not set and ${MTU} gives no"
                + " default — set it, or write ${MTU:-value}");
  }

  @Test
  void setOverridesWinOverTheFileAndMayCreateSections() throws IOException {
    Path file = write("server.yaml", "io:\n  tun:\n    rxSlots: many\n");
    Map<String, String> sets = new LinkedHashMap<>();
    sets.put("io.tun.rxSlots", "16");
    sets.put("log.level", "'debug'");
    sets.put("jmx.bind", "[::1]:9999");

    Config config = valid(load(file, sets, Role.SERVER));

    assertThat(config.io().tun().rxSlots()).isEqualTo(16);
    assertThat(config.log().level()).isEqualTo(Config.LogLevel.DEBUG);
    assertThat(config.jmx().bind()).isEqualTo(new Endpoint("::1", 9999));
  }

  @Test
  void setCanUnsetAnOptionalKeyAndGiveAStructuredValue() throws IOException {
    write("jmx.crt", "c");
    write("jmx.key", "k");
    Path file = write("server.yaml", "auth: { users: /missing/users.htpasswd }\n");
    Map<String, String> sets = new LinkedHashMap<>();
    sets.put("auth.users", "null");
    sets.put(
        "jmx.tls", "{cert: " + dir.resolve("jmx.crt") + ", key: " + dir.resolve("jmx.key") + "}");

    Config config = valid(load(file, sets, Role.SERVER));

    assertThat(config.auth().users()).isNull();
    assertThat(config.jmx().tls())
        .isEqualTo(new Config.JmxTls(dir.resolve("jmx.crt"), dir.resolve("jmx.key")));
  }

  @Test
  void jmxTlsTakesAnOptionalClientCa() throws IOException {
    write("jmx.crt", "c");
    write("jmx.key", "k");
    write("ops-ca.crt", "ca");
    Path file =
        write(
            "server.yaml", "jmx:\n  tls: { cert: jmx.crt, key: jmx.key, clientCa: ops-ca.crt }\n");

    Config config = valid(load(file, Map.of(), Role.SERVER));

    assertThat(config.jmx().tls())
        .isEqualTo(
            new Config.JmxTls(
                dir.resolve("jmx.crt"), dir.resolve("jmx.key"), dir.resolve("ops-ca.crt")));
  }

  @Test
  void aMissingClientCaFileIsReported() throws IOException {
    write("jmx.crt", "c");
    write("jmx.key", "k");
    Path file =
        write("server.yaml", "jmx:\n  tls: { cert: jmx.crt, key: jmx.key, clientCa: gone.crt }\n");

    assertThat(errors(load(file, Map.of(), Role.SERVER)))
        .anyMatch(e -> e.contains("jmx.tls.clientCa") && e.contains("file not found"));
  }

  @Test
  void setPathsResolveAgainstTheWorkingDirectory() {
    Config config = valid(load(null, Map.of("stateDir", "state"), Role.SERVER));

    assertThat(config.stateDir()).isEqualTo(Path.of("state").toAbsolutePath());
  }

  @Test
  void setErrorsNameTheOverrideAndHaveNoLine() {
    assertThat(errors(load(null, Map.of("io.tun.rxSlots", "0"), Role.SERVER)))
        .containsExactly(
            "--set io.tun.rxSlots=0: io.tun.rxSlots: value 0 is out of range — must be between 1"
                + " and 4096");
  }

  @Test
  void setRejectsAKeyThatIsNotDotted() {
    assertThat(errors(load(null, Map.of("io..rxSlots", "1"), Role.SERVER)))
        .containsExactly(
            "--set io..rxSlots=1: io..rxSlots: is not a dotted key such as io.tun.rxSlots");
  }

  @Test
  void theRoleIsInferredFromClientOnlyKeys() throws IOException {
    Path client = write("client.yaml", "server: 192.0.2.1:27690\n");
    Path server = write("server.yaml", "server: 192.0.2.1:27690\nbind: 0.0.0.0:1\n");

    assertThat(ConfigLoader.loadAs(client, NO_SETS, null, EMPTY_ENVIRONMENT::get).role())
        .isEqualTo(Role.CLIENT);
    assertThat(ConfigLoader.loadAs(server, NO_SETS, null, EMPTY_ENVIRONMENT::get).role())
        .isEqualTo(Role.SERVER);
  }

  @Test
  void jmxUsersAcceptBcryptAndShaCryptHashes() throws IOException {
    String bcrypt = "$2b$12$" + "a".repeat(53);
    String shaCrypt = "$6$rounds=5000$saltsalt$" + "b".repeat(86);
    Path file =
        write(
            "server.yaml",
            "jmx:\n  bind: 0.0.0.0:27691\n  users:\n"
                + "    - { name: a, passwordHash: '"
                + bcrypt
                + "', role: operator }\n"
                + "    - { name: b, passwordHash: '"
                + shaCrypt
                + "', role: monitor }\n");

    Config config = valid(load(file, NO_SETS, Role.SERVER));

    assertThat(config.jmx().users())
        .containsExactly(
            new Config.JmxUser("a", null, bcrypt, Config.JmxRole.OPERATOR),
            new Config.JmxUser("b", null, shaCrypt, Config.JmxRole.MONITOR));
  }

  @Test
  void aBrokenJmxUserIsReportedAloneNotAsMissingUsers() throws IOException {
    Path file =
        write(
            "server.yaml",
            "jmx:\n  bind: 0.0.0.0:27691\n  users:\n    - { name: ops, password: pw, role: root }\n");

    assertThat(errors(load(file, NO_SETS, Role.SERVER)))
        .containsExactly(
            file + ":4:34: jmx.users[0].role: value root is not one of monitor, operator");
  }

  @Test
  void aJmxUserNeverPrintsItsPassword() {
    assertThat(new Config.JmxUser("alice", "hunter2", null, Config.JmxRole.MONITOR).toString())
        .doesNotContain("hunter2");
  }

  @Test
  void errorsAreSortedByLineAndColumnWhateverOrderTheRulesRunIn() throws IOException {
    Path file =
        write(
            "server.yaml",
            "log: { level: loud }\nio:\n  tx: { slots: 9000 }\n  ring: { entries: 3 }\nmode: tcpp\n");

    List<String> errors = errors(load(file, NO_SETS, Role.SERVER));

    assertThat(errors)
        .extracting(e ->
            e.substring(file.toString().length(), e.indexOf(": ", file.toString().length() + 1)))
        .containsExactly(":1:8", ":4:11", ":5:1");
  }

  @Test
  void aBrokenBudgetIsBlamedOnTheKeyWhoseDefaultWouldFit() throws IOException {
    Path file = write("server.yaml", "io:\n  ring: { entries: 512 }\n  tun: { rxSlots: 600 }\n");

    assertThat(errors(load(file, NO_SETS, Role.SERVER)))
        .singleElement()
        .asString()
        .startsWith(file + ":3:10: io.tun.rxSlots: slot budget exceeded in udp mode")
        .endsWith("did you mean `472`?");
  }

  @Test
  void theSlotBudgetIsNotCheckedAgainAfterOneOfItsKeysIsAlreadyWrong() throws IOException {
    Path file = write("server.yaml", "io:\n  ring: { entries: 8 }\n  tx: { slots: lots }\n");

    assertThat(errors(load(file, NO_SETS, Role.SERVER)))
        .singleElement()
        .asString()
        .contains("io.tx.slots: value lots is not a whole number");
  }

  @Test
  void networkAddressesAreParsedWithoutResolvingNames() throws IOException {
    Path file =
        write(
            "server.yaml",
            "network: { pool: 172.16.0.0/12, serverIp: 172.16.0.1, clientIp: 172.16.0.2 }\n");

    Config.Network network = valid(load(file, NO_SETS, Role.SERVER)).network();

    assertThat(network.pool().contains(Inet4Address.ofLiteral("172.31.255.1"))).isTrue();
    assertThat(network.pool().contains(Inet4Address.ofLiteral("172.32.0.1"))).isFalse();
  }
}
