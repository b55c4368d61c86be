package dev.ringway.config;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A complete, validated configuration. Paths are absolute (relative ones were resolved against the
 * configuration file's directory); optional values are {@code null}. Every default comes from
 * {@link Settings}; {@link #defaults()} is the configuration a server runs on with no file.
 */
public record Config(
    Mode mode,
    Endpoint bind,
    Endpoint server,
    Path stateDir,
    Tls tls,
    Auth auth,
    Network network,
    Io io,
    Jmx jmx,
    Log log,
    Keepalive keepalive,
    Reconnect reconnect,
    Session session,
    Stats stats,
    History history,
    List<AlertRule> alerts) {

  /** The configuration every key at its default. */
  public static Config defaults() {
    return Settings.DEFAULTS;
  }

  /** Outside transport. */
  public enum Mode {
    UDP,
    TCP;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which I/O engine drives the loop. */
  public enum Engine {
    URING,
    NIO,
    AUTO;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Root log level. */
  public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Log line format. */
  public enum LogFormat {
    TEXT,
    JSON;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a JMX user may do: read attributes only, or also write tunables and call operations. */
  public enum JmxRole {
    MONITOR,
    OPERATOR;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Certificates. {@code cert}/{@code key}: server; {@code ca}/{@code insecure}: client. */
  public record Tls(Path cert, Path key, Path ca, boolean insecure, Cipher cipher) {}

  /** The one cipher a client offers, as Lightway's client does. */
  public enum Cipher {
    /** AES-256-GCM: runs on the CPU's AES instructions where it has them. */
    AES256,
    /** ChaCha20-Poly1305: for CPUs without AES instructions. */
    CHACHA20;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Credentials. {@code users}/{@code tokenPublicKey}: server; {@code user}, {@code passwordFile},
   * {@code tokenFile}: client.
   */
  public record Auth(
      Path users, Path tokenPublicKey, String user, Path passwordFile, Path tokenFile) {}

  /** The inside network. */
  public record Network(
      String tun,
      int mtu,
      Cidr pool,
      Inet4Address serverIp,
      Inet4Address clientIp,
      Inet4Address dnsIp) {}

  /** The I/O loop's tunables. */
  public record Io(Engine engine, Ring ring, Tun tun, Udp udp, Tcp tcp, Tx tx) {}

  /** Ring size and SQPOLL; a zero {@code sqpollIdle} means SQPOLL is off. */
  public record Ring(int entries, Duration sqpollIdle) {

    /** Completion-queue entries: the kernel gives twice the submission-queue size. */
    public int cqEntries() {
      return SlotBudget.cqEntries(entries);
    }
  }

  /** TUN reads in flight and the TUN fd's blocking mode. */
  public record Tun(int rxSlots, boolean blocking) {}

  /** UDP receives in flight and the UDP socket's buffer size in bytes. */
  public record Udp(int rxSlots, int socketBuffer) {}

  /** Per-connection TCP socket buffer in bytes and the cap on accepted connections. */
  public record Tcp(int socketBuffer, int maxConnections) {}

  /** Shared send slots for TUN, UDP and TCP. */
  public record Tx(int slots) {}

  /** The JMX connector. {@code users} and {@code tls} are {@code null} when not configured. */
  public record Jmx(Endpoint bind, List<JmxUser> users, JmxTls tls, boolean insecure) {}

  /**
   * A JMX login: exactly one of {@code password} (plain) and {@code passwordHash} (bcrypt or
   * sha-crypt) is set.
   */
  public record JmxUser(String name, String password, String passwordHash, JmxRole role) {

    /** Never prints the password. */
    @Override
    public String toString() {
      return name + " (" + role + ")";
    }
  }

  /**
   * The JMX connector's certificate and key, and the CA certificates a client's certificate must
   * chain to; {@code clientCa} is {@code null} when clients need no certificate.
   */
  public record JmxTls(Path cert, Path key, Path clientCa) {
    /** Without client certificates. */
    public JmxTls(Path cert, Path key) {
      this(cert, key, null);
    }
  }

  /** Logging. */
  public record Log(LogLevel level, LogFormat format) {}

  /** Client keepalive: ping every {@code interval}, give up after {@code timeout} of silence. */
  public record Keepalive(Duration interval, Duration timeout) {}

  /** Client reconnect backoff, doubling from {@code initialBackoff} up to {@code maxBackoff}. */
  public record Reconnect(Duration initialBackoff, Duration maxBackoff) {}

  /**
   * Server housekeeping: close connections not online {@code staleTimeout} after creation, and
   * online ones with no outside data for {@code idleTimeout}.
   */
  public record Session(Duration staleTimeout, Duration idleTimeout) {}

  /** How often statistics are sampled. */
  public record Stats(Duration interval) {}

  /** The server's history of stats ticks: kept for {@code retention}, one per stats tick. */
  public record History(Duration retention) {}

  /**
   * An alert rule: raised when {@code figure} stays above {@code above} (or below {@code below};
   * exactly one is set) for {@code duration}, cleared when it no longer does.
   *
   * @param figure one of {@link #FIGURES}, e.g. {@code path.tun.rx.eagainPerSecond}
   */
  public record AlertRule(
      String name, String figure, Double above, Double below, Duration duration) {

    /** The paths a {@code path.P.*} figure may name, as their JMX ObjectNames spell them. */
    public static final List<String> PATHS =
        List.of("tun.rx", "tun.tx", "udp.rx", "udp.tx", "tcp.accept", "tcp.rx", "tcp.tx");

    /** The per-path figures: {@code path.<path>.<figure>}. */
    public static final List<String> PATH_FIGURES =
        List.of(
            "eagainPerSecond",
            "slotExhaustedPerSecond",
            "errorsPerSecond",
            "packetsPerSecond",
            "bytesPerSecond",
            "inFlight");

    /** The figures a rule may watch. */
    public static final List<String> FIGURES = figures();

    private static List<String> figures() {
      List<String> all = new java.util.ArrayList<>();
      for (String path : PATHS) {
        for (String figure : PATH_FIGURES) {
          all.add("path." + path + "." + figure);
        }
      }
      all.addAll(
          List.of(
              "ring.cqOverflowsPerSecond",
              "ring.sqFullPerSecond",
              "ring.maxLoopIterationNanos",
              "jvm.heapUsedBytes",
              "process.cpuLoad"));
      return List.copyOf(all);
    }

    /** The threshold, whichever side. */
    public double threshold() {
      return above != null ? above : below;
    }

    /** {@code above 100 for 10s}. */
    public String condition() {
      return (above != null ? "above " : "below ")
          + number(threshold())
          + " for "
          + (duration.isZero() ? "0s" : Kind.Span.text(duration));
    }

    /** A threshold as written: {@code 100}, not {@code 100.0}. */
    static String number(double value) {
      return value == Math.rint(value) && Math.abs(value) < 1e15
          ? Long.toString((long) value)
          : Double.toString(value);
    }

    @Override
    public String toString() {
      return name + ": " + figure + " " + condition();
    }
  }
}
