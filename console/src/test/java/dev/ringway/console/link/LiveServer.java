package dev.ringway.console.link;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real Ringway server in a subprocess, in a network namespace of its own, with its JMX connector
 * on the namespace's end of a veth pair so the console in this JVM reaches it. Logins: {@code op}
 * (operator) and {@code mon} (monitor). The server can be stopped and started again on the same
 * address, as an operator's restart would, and real clients can connect to it ({@link
 * #startClient()}).
 */
public final class LiveServer implements AutoCloseable {
  public static final String OPERATOR = "op";
  public static final String OPERATOR_PASSWORD = "op-secret";
  public static final String MONITOR = "mon";
  public static final String MONITOR_PASSWORD = "mon-secret";
  static final int JMX_PORT = 27691;
  static final String TRUST_STORE_PASSWORD = "trust-me";
  private static final String TRUST_STORE = "jmx-trust.p12";

  private static final java.util.Set<Integer> SUBNETS = new java.util.HashSet<>();

  private final Netns netns;
  private final String address;
  private final Path dir;
  private final Path config;
  private Process process;
  private Path log;
  private int runs;
  private int clients;

  private LiveServer(Netns netns, String address, Path dir, Path config) {
    this.netns = netns;
    this.address = address;
    this.dir = dir;
    this.config = config;
  }

  /** Builds the namespace and starts the server in it, its JMX connector in plain RMI. */
  public static LiveServer start(Path dir) throws IOException {
    return start(dir, false, "");
  }

  /**
   * As {@link #start(Path)}, with {@code extraYaml} (top-level keys, e.g. {@code io: { ring: {
   * entries: 512 } }}) added to the server's configuration.
   */
  public static LiveServer start(Path dir, String extraYaml) throws IOException {
    return start(dir, false, extraYaml);
  }

  /**
   * As {@link #start(Path)}, with {@code jmx.tls}: a self-signed certificate for the server's
   * address made with openssl, which {@link #trustStore()} holds for the console to trust.
   */
  public static LiveServer startWithTls(Path dir) throws IOException {
    return start(dir, true, "");
  }

  /** Writes a certificate and key for {@code address} and a trust store holding the certificate. */
  private static String tlsFor(Path dir, String address) throws IOException {
    Path cert = dir.resolve("jmx.crt");
    Path key = dir.resolve("jmx.key");
    Commands.run(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=" + address,
            "-addext",
            "subjectAltName=IP:" + address,
            "-keyout",
            key.toString(),
            "-out",
            cert.toString())
        .orThrow();
    try (InputStream in = Files.newInputStream(cert)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(
          "jmx", CertificateFactory.getInstance("X.509").generateCertificate(in));
      try (OutputStream out = Files.newOutputStream(dir.resolve(TRUST_STORE))) {
        trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("making the trust store: " + e.getMessage(), e);
    }
    return "  tls: { cert: %s, key: %s }\n".formatted(cert, key);
  }

  private static LiveServer start(Path dir, boolean tls, String extraYaml) throws IOException {
    Netns netns = Netns.create("console");
    try {
      int subnet = freeSubnet();
      String hostSide = "10.251." + subnet + ".1";
      String serverSide = "10.251." + subnet + ".2";
      String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
      String outer = "rwch" + suffix;
      String inner = "rwcn" + suffix;
      Commands.run(
              "ip",
              "link",
              "add",
              outer,
              "type",
              "veth",
              "peer",
              "name",
              inner,
              "netns",
              netns.name())
          .orThrow();
      Commands.run("ip", "addr", "add", hostSide + "/24", "dev", outer).orThrow();
      Commands.run("ip", "link", "set", outer, "up").orThrow();
      netns.exec("ip", "addr", "add", serverSide + "/24", "dev", inner).orThrow();
      netns.exec("ip", "link", "set", inner, "up").orThrow();
      netns.exec("ip", "link", "set", "lo", "up").orThrow();
      Path config = dir.resolve("server.yaml");
      Files.writeString(
          config,
          """
          bind: 0.0.0.0:27690
          stats: { interval: 250ms }
          jmx:
            bind: %s:%d
            users:
              - { name: %s, password: %s, role: operator }
              - { name: %s, password: %s, role: monitor }
          """
                  .formatted(
                      serverSide, JMX_PORT, OPERATOR, OPERATOR_PASSWORD, MONITOR, MONITOR_PASSWORD)
              + (tls ? tlsFor(dir, serverSide) : "")
              + extraYaml
              + (extraYaml.isEmpty() || extraYaml.endsWith("\n") ? "" : "\n"));
      LiveServer server = new LiveServer(netns, serverSide, dir, config);
      server.startProcess();
      return server;
    } catch (IOException | RuntimeException e) {
      netns.close();
      throw e;
    }
  }

  /**
   * A subnet no other server of this JVM uses: two servers on one 10.251.x.0/24 would give the host
   * two routes to it and the console would reach only one of them.
   */
  private static synchronized int freeSubnet() {
    int subnet;
    do {
      subnet = ThreadLocalRandom.current().nextInt(256);
    } while (!SUBNETS.add(subnet));
    return subnet;
  }

  /** Starts the server process (again) and waits until its JMX connector is up. */
  public void startProcess() throws IOException {
    runs++;
    log = dir.resolve("server-" + runs + ".log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            "dev.ringway.server.cli.RingwayCli",
            "server",
            "-c",
            config.toString(),
            "--set",
            "stateDir=" + dir.resolve("state"));
    Process started =
        netns
            .processBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    process = started;
    Await.until(
        "the server logs its JMX URL (log: " + log + ")",
        Duration.ofSeconds(30),
        () -> {
          if (!started.isAlive()) {
            throw new IllegalStateException("the server exited:\n" + log());
          }
          return log().contains("JMX at service:jmx:rmi://");
        });
  }

  /**
   * Starts a real client in a namespace of its own, linked to the server's, logged in as the
   * server's demo user; {@link LiveClient#awaitOnline()} waits until the tunnel is up.
   */
  public LiveClient startClient() throws IOException {
    clients++;
    int subnet = ThreadLocalRandom.current().nextInt(256);
    return LiveClient.start(
        netns,
        dir.resolve("state"),
        dir.resolve("client-" + clients + ".log"),
        "10.252." + subnet + ".1",
        "10.252." + subnet + ".2");
  }

  /** Stops the server process; the namespace and its address stay. */
  public void stopProcess() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  /** The JMX address as an operator types it, host:port. */
  public String hostPort() {
    return address + ":" + JMX_PORT;
  }

  /** The PKCS12 trust store holding the certificate of a server from {@link #startWithTls}. */
  public Path trustStore() {
    return dir.resolve(TRUST_STORE);
  }

  /** A profile logging in as {@code user}. */
  public Profile profile(String user, String password) {
    return Profile.of(hostPort()).withLogin(user, password);
  }

  /** What the current server process has written so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopProcess();
    netns.close();
  }
}
