package dev.ringway.config;

import dev.ringway.config.Config.Auth;
import dev.ringway.config.Config.Engine;
import dev.ringway.config.Config.Io;
import dev.ringway.config.Config.Jmx;
import dev.ringway.config.Config.Keepalive;
import dev.ringway.config.Config.Log;
import dev.ringway.config.Config.LogFormat;
import dev.ringway.config.Config.LogLevel;
import dev.ringway.config.Config.Mode;
import dev.ringway.config.Config.Reconnect;
import dev.ringway.config.Config.Ring;
import dev.ringway.config.Config.Session;
import dev.ringway.config.Config.Stats;
import dev.ringway.config.Config.Tcp;
import dev.ringway.config.Config.Tls;
import dev.ringway.config.Config.Tun;
import dev.ringway.config.Config.Tx;
import dev.ringway.config.Config.Udp;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The catalogue of every configuration key — the single source of truth for types, limits,
 * defaults, descriptions and which keys change live. Loading, {@link Tunables}, {@link ConfigDiff},
 * {@link DefaultsWriter} and {@link JsonSchema} all read it; nothing else states a limit.
 */
public final class Settings {

  private static final Set<Role> BOTH = EnumSet.allOf(Role.class);
  private static final Set<Role> SERVER = EnumSet.of(Role.SERVER);
  private static final Set<Role> CLIENT = EnumSet.of(Role.CLIENT);
  private static final Kind.FilePath FILE = new Kind.FilePath();
  private static final Kind.Flag FLAG = new Kind.Flag();
  private static final Kind.Ipv4 IPV4 = new Kind.Ipv4();

  public static final Setting<Mode> MODE =
      restart(
          "mode",
          new Kind.Choice<>(Mode.class),
          Mode.UDP,
          BOTH,
          "Outside transport: udp (DTLS 1.2) or tcp (TLS 1.3).",
          Config::mode);
  public static final Setting<Endpoint> BIND =
      restart(
          "bind",
          new Kind.Address(27690),
          new Endpoint("0.0.0.0", 27690),
          SERVER,
          "Outside address the server listens on (UDP or TCP, per mode).",
          Config::bind);
  public static final Setting<Endpoint> SERVER_ADDRESS =
      optional(
          "server",
          new Kind.Address(27690),
          CLIENT,
          "The server to connect to, host:port. Required for a client.",
          Config::server);
  public static final Setting<Path> STATE_DIR =
      restart(
          "stateDir",
          FILE,
          Path.of("/var/lib/ringway"),
          SERVER,
          "Where the server keeps what it generates on first start: a self-signed certificate"
              + " when tls.cert/tls.key are unset and a demo user when auth.users is unset. The"
              + " default follows the FHS (and systemd's StateDirectory=ringway); it is created"
              + " when needed.",
          Config::stateDir);

  public static final Setting<Path> TLS_CERT =
      optional(
          "tls.cert",
          FILE,
          SERVER,
          "PEM certificate chain of the server. Unset (with tls.key): a self-signed one is"
              + " generated into stateDir.",
          c -> c.tls().cert());
  public static final Setting<Path> TLS_KEY =
      optional("tls.key", FILE, SERVER, "PEM private key matching tls.cert.", c -> c.tls().key());
  public static final Setting<Path> TLS_CA =
      optional(
          "tls.ca",
          FILE,
          CLIENT,
          "PEM CA certificate(s) the client verifies the server against. Required unless"
              + " tls.insecure is true.",
          c -> c.tls().ca());
  public static final Setting<Boolean> TLS_INSECURE =
      restart(
          "tls.insecure",
          FLAG,
          false,
          CLIENT,
          "Skip verifying the server's certificate. For tests only; logged loudly.",
          c -> c.tls().insecure());
  public static final Setting<Config.Cipher> TLS_CIPHER =
      restart(
          "tls.cipher",
          new Kind.Choice<>(Config.Cipher.class),
          Config.Cipher.AES256,
          CLIENT,
          "The one cipher the client offers, as Lightway's client does: aes256 (AES-256-GCM, fast"
              + " on CPUs with AES instructions) or chacha20 (ChaCha20-Poly1305).",
          c -> c.tls().cipher());

  public static final Setting<Path> AUTH_USERS =
      optional(
          "auth.users",
          FILE,
          SERVER,
          "htpasswd file of users (bcrypt or sha-crypt hashes). Unset: a demo user is generated"
              + " into stateDir.",
          c -> c.auth().users());
  public static final Setting<Path> AUTH_TOKEN_PUBLIC_KEY =
      optional(
          "auth.tokenPublicKey",
          FILE,
          SERVER,
          "PEM public key that verifies JWT tokens; unset: token auth is refused.",
          c -> c.auth().tokenPublicKey());
  public static final Setting<String> AUTH_USER =
      optional(
          "auth.user",
          new Kind.Name(255, Pattern.compile("[^\\s:]+"), "characters other than spaces and :"),
          CLIENT,
          "User name for password auth (with auth.passwordFile).",
          c -> c.auth().user());
  public static final Setting<Path> AUTH_PASSWORD_FILE =
      optional(
          "auth.passwordFile",
          FILE,
          CLIENT,
          "File whose first line is the password of auth.user.",
          c -> c.auth().passwordFile());
  public static final Setting<Path> AUTH_TOKEN_FILE =
      optional(
          "auth.tokenFile",
          FILE,
          CLIENT,
          "File holding a JWT for token auth (instead of auth.user/auth.passwordFile).",
          c -> c.auth().tokenFile());

  public static final Setting<String> NETWORK_TUN =
      restart(
          "network.tun",
          new Kind.Name(
              15,
              Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9_.-]+"),
              "letters, digits, _, . and - (a Linux interface name)"),
          "ringway0",
          BOTH,
          "Name of the TUN device.",
          c -> c.network().tun());
  public static final Setting<Integer> NETWORK_MTU =
      restart(
          "network.mtu",
          new Kind.Whole(576, 9000, false, "bytes"),
          1350,
          BOTH,
          "MTU of the TUN device (inside packets), in bytes.",
          c -> c.network().mtu());
  public static final Setting<Cidr> NETWORK_POOL =
      restart(
          "network.pool",
          new Kind.Network(8, 30),
          new Cidr(Inet4Address.ofLiteral("10.125.0.0"), 16),
          SERVER,
          "Inside addresses the server hands out to clients.",
          c -> c.network().pool());
  public static final Setting<Inet4Address> NETWORK_SERVER_IP =
      restart(
          "network.serverIp",
          IPV4,
          Inet4Address.ofLiteral("10.125.0.6"),
          SERVER,
          "Inside address of the server, told to clients as their peer.",
          c -> c.network().serverIp());
  public static final Setting<Inet4Address> NETWORK_CLIENT_IP =
      restart(
          "network.clientIp",
          IPV4,
          Inet4Address.ofLiteral("10.125.0.5"),
          SERVER,
          "Inside address every client is told it has; the server translates it to the client's"
              + " pool address.",
          c -> c.network().clientIp());
  public static final Setting<Inet4Address> NETWORK_DNS_IP =
      restart(
          "network.dnsIp",
          IPV4,
          Inet4Address.ofLiteral("10.125.0.1"),
          SERVER,
          "DNS server address told to clients.",
          c -> c.network().dnsIp());

  public static final Setting<Engine> IO_ENGINE =
      restart(
          "io.engine",
          new Kind.Choice<>(Engine.class),
          Engine.AUTO,
          BOTH,
          "uring, nio (java.nio selector), or auto (uring, falling back to nio with a warning).",
          c -> c.io().engine());
  public static final Setting<Integer> RING_ENTRIES =
      live(
          "io.ring.entries",
          new Kind.Whole(8, 32768, true, "entries"),
          1024,
          "RingEntries",
          "Submission-queue entries; the completion queue gets twice as many (the slot budget).",
          c -> c.io().ring().entries());
  public static final Setting<Duration> RING_SQPOLL_IDLE =
      live(
          "io.ring.sqpollIdle",
          new Kind.Span(Duration.ZERO, Duration.ofSeconds(10)),
          Duration.ZERO,
          "SqpollIdleMillis",
          "SQPOLL kernel thread idle time before it sleeps; 0ms turns SQPOLL off. SQPOLL burns a"
              + " core while traffic flows.",
          c -> c.io().ring().sqpollIdle());
  public static final Setting<Integer> TUN_RX_SLOTS =
      live(
          "io.tun.rxSlots",
          new Kind.Whole(1, 4096, false, "slots"),
          64,
          "TunRxSlots",
          "TUN reads kept in flight. More is not better: with non-blocking TUN every waiting read"
              + " wakes per packet and the losers complete with EAGAIN.",
          c -> c.io().tun().rxSlots());
  public static final Setting<Boolean> TUN_BLOCKING =
      live(
          "io.tun.blocking",
          FLAG,
          false,
          "TunBlocking",
          "Open the TUN fd in blocking mode (needs Linux 6.4+ to be safe; fewer slots suffice).",
          c -> c.io().tun().blocking());
  public static final Setting<Integer> UDP_RX_SLOTS =
      live(
          "io.udp.rxSlots",
          new Kind.Whole(1, 4096, false, "slots"),
          32,
          "UdpRxSlots",
          "UDP receives kept in flight (udp mode).",
          c -> c.io().udp().rxSlots());
  public static final Setting<Integer> UDP_SOCKET_BUFFER =
      live(
          "io.udp.socketBuffer",
          new Kind.Size(4 << 10, 1 << 30),
          15 << 20,
          "UdpSocketBufferBytes",
          "SO_SNDBUF and SO_RCVBUF of the UDP socket (the kernel caps it at net.core.rmem_max and"
              + " wmem_max).",
          c -> c.io().udp().socketBuffer());
  public static final Setting<Integer> TCP_SOCKET_BUFFER =
      live(
          "io.tcp.socketBuffer",
          new Kind.Size(4 << 10, 1 << 30),
          256 << 10,
          "TcpSocketBufferBytes",
          "SO_SNDBUF and SO_RCVBUF of each TCP connection, new and existing.",
          c -> c.io().tcp().socketBuffer());
  public static final Setting<Integer> TCP_MAX_CONNECTIONS =
      live(
          "io.tcp.maxConnections",
          new Kind.Whole(1, 16384, false, "connections"),
          256,
          "TcpMaxConnections",
          "TCP connections accepted at once (tcp mode); lowering it refuses new ones and never"
              + " closes existing ones.",
          c -> c.io().tcp().maxConnections());
  public static final Setting<Integer> TX_SLOTS =
      live(
          "io.tx.slots",
          new Kind.Whole(1, 32768, false, "slots"),
          512,
          "TxSlots",
          "Send slots shared by TUN, UDP and TCP writes.",
          c -> c.io().tx().slots());

  public static final Setting<Endpoint> JMX_BIND =
      restart(
          "jmx.bind",
          new Kind.Address(27691),
          new Endpoint("127.0.0.1", 27691),
          BOTH,
          "JMX connector address (RMI registry and server on this one port). A non-loopback"
              + " address needs jmx.users, or jmx.insecure: true.",
          c -> c.jmx().bind());
  public static final Setting<List<Config.JmxUser>> JMX_USERS =
      optional(
          "jmx.users",
          new Kind.JmxUsers(),
          BOTH,
          "JMX logins: a list of {name, password or passwordHash (bcrypt/sha-crypt), role:"
              + " monitor|operator}, required on any jmx.bind, loopback too. Unset: no"
              + " authentication (loopback only), and every local user can retune the server.",
          c -> c.jmx().users());
  public static final Setting<Config.JmxTls> JMX_TLS =
      optional(
          "jmx.tls",
          new Kind.JmxTlsPair(),
          BOTH,
          "TLS for the JMX connector: {cert, key}, and clientCa to require client certificates"
              + " that chain to it. Unset: plain RMI.",
          c -> c.jmx().tls());
  public static final Setting<Boolean> JMX_INSECURE =
      restart(
          "jmx.insecure",
          FLAG,
          false,
          BOTH,
          "Allow a non-loopback jmx.bind without users. Anyone who reaches the port can retune the"
              + " server; logged loudly.",
          c -> c.jmx().insecure());

  public static final Setting<LogLevel> LOG_LEVEL =
      live(
          "log.level",
          new Kind.Choice<>(LogLevel.class),
          LogLevel.INFO,
          "LogLevel",
          "Root log level.",
          c -> c.log().level());
  public static final Setting<LogFormat> LOG_FORMAT =
      restart(
          "log.format",
          new Kind.Choice<>(LogFormat.class),
          LogFormat.TEXT,
          BOTH,
          "text (for people) or json (one object per line, for collectors).",
          c -> c.log().format());

  public static final Setting<Duration> KEEPALIVE_INTERVAL =
      restart(
          "keepalive.interval",
          new Kind.Span(Duration.ofSeconds(1), Duration.ofMinutes(10)),
          Duration.ofSeconds(10),
          CLIENT,
          "Send a keepalive ping this often.",
          c -> c.keepalive().interval());
  public static final Setting<Duration> KEEPALIVE_TIMEOUT =
      restart(
          "keepalive.timeout",
          new Kind.Span(Duration.ofSeconds(2), Duration.ofHours(1)),
          Duration.ofSeconds(60),
          CLIENT,
          "Consider the connection dead after this long without a reply; must exceed"
              + " keepalive.interval.",
          c -> c.keepalive().timeout());
  public static final Setting<Duration> RECONNECT_INITIAL_BACKOFF =
      restart(
          "reconnect.initialBackoff",
          new Kind.Span(Duration.ofMillis(100), Duration.ofMinutes(1)),
          Duration.ofSeconds(1),
          CLIENT,
          "Wait this long before the first reconnect; the wait doubles on each failure.",
          c -> c.reconnect().initialBackoff());
  public static final Setting<Duration> RECONNECT_MAX_BACKOFF =
      restart(
          "reconnect.maxBackoff",
          new Kind.Span(Duration.ofSeconds(1), Duration.ofHours(1)),
          Duration.ofSeconds(30),
          CLIENT,
          "The longest wait between reconnects; at least reconnect.initialBackoff.",
          c -> c.reconnect().maxBackoff());
  public static final Setting<Duration> SESSION_STALE_TIMEOUT =
      restart(
          "session.staleTimeout",
          new Kind.Span(Duration.ofSeconds(5), Duration.ofHours(1)),
          Duration.ofSeconds(60),
          SERVER,
          "Close a connection that is not online this long after it was created.",
          c -> c.session().staleTimeout());
  public static final Setting<Duration> SESSION_IDLE_TIMEOUT =
      restart(
          "session.idleTimeout",
          new Kind.Span(Duration.ofSeconds(15), Duration.ofDays(30)),
          Duration.ofHours(24),
          SERVER,
          "Close an online connection with no outside data for this long; keep it above the"
              + " clients' keepalive.interval (10s by default) or idle clients are cut off.",
          c -> c.session().idleTimeout());
  public static final Setting<Duration> STATS_INTERVAL =
      restart(
          "stats.interval",
          new Kind.Span(Duration.ofMillis(100), Duration.ofMinutes(1)),
          Duration.ofSeconds(1),
          BOTH,
          "How often per-path statistics and rates are sampled.",
          c -> c.stats().interval());
  public static final Setting<Duration> HISTORY_RETENTION =
      restart(
          "history.retention",
          new Kind.Span(Duration.ofSeconds(10), Duration.ofDays(7)),
          Duration.ofHours(24),
          SERVER,
          "How far back the server keeps its stats ticks for JMX History.range, one sample per"
              + " stats.interval (392 bytes each: 24h at 1s is 86400 samples, about 32 MiB).",
          c -> c.history().retention());
  public static final Setting<List<Config.AlertRule>> ALERTS =
      optional(
          "alerts",
          new Kind.AlertRules(),
          SERVER,
          "Alert rules, checked at every stats tick: a list of {name, figure, above or below, for},"
              + " raised and cleared as JMX notifications of dev.ringway:type=Alerts and in the"
              + " log. A reload (SIGHUP, JMX Server.reload()) puts the file's rules in force. Unset:"
              + " no alerts.",
          c -> c.alerts());

  /** Every setting, in the order of the annotated defaults; sections are contiguous. */
  public static final List<Setting<?>> ALL =
      List.of(
          MODE,
          BIND,
          SERVER_ADDRESS,
          STATE_DIR,
          TLS_CERT,
          TLS_KEY,
          TLS_CA,
          TLS_INSECURE,
          TLS_CIPHER,
          AUTH_USERS,
          AUTH_TOKEN_PUBLIC_KEY,
          AUTH_USER,
          AUTH_PASSWORD_FILE,
          AUTH_TOKEN_FILE,
          NETWORK_TUN,
          NETWORK_MTU,
          NETWORK_POOL,
          NETWORK_SERVER_IP,
          NETWORK_CLIENT_IP,
          NETWORK_DNS_IP,
          IO_ENGINE,
          RING_ENTRIES,
          RING_SQPOLL_IDLE,
          TUN_RX_SLOTS,
          TUN_BLOCKING,
          UDP_RX_SLOTS,
          UDP_SOCKET_BUFFER,
          TCP_SOCKET_BUFFER,
          TCP_MAX_CONNECTIONS,
          TX_SLOTS,
          JMX_BIND,
          JMX_USERS,
          JMX_TLS,
          JMX_INSECURE,
          LOG_LEVEL,
          LOG_FORMAT,
          KEEPALIVE_INTERVAL,
          KEEPALIVE_TIMEOUT,
          RECONNECT_INITIAL_BACKOFF,
          RECONNECT_MAX_BACKOFF,
          SESSION_STALE_TIMEOUT,
          SESSION_IDLE_TIMEOUT,
          STATS_INTERVAL,
          HISTORY_RETENTION,
          ALERTS);

  /** What each section is for, keyed by its dotted prefix. */
  static final Map<String, String> SECTIONS =
      Map.ofEntries(
          Map.entry("tls", "Certificates."),
          Map.entry("auth", "Credentials: users and tokens (server), login (client)."),
          Map.entry("network", "The inside network."),
          Map.entry("io", "The I/O loop. Keys marked live change without a restart."),
          Map.entry("io.ring", "The io_uring ring."),
          Map.entry("io.tun", "Reads from the TUN device."),
          Map.entry("io.udp", "The outside UDP socket (udp mode)."),
          Map.entry("io.tcp", "Outside TCP connections (tcp mode)."),
          Map.entry("io.tx", "Writes to TUN, UDP and TCP."),
          Map.entry("jmx", "The JMX connector for monitoring and live tuning."),
          Map.entry("log", "Logging."),
          Map.entry("keepalive", "Client keepalive."),
          Map.entry("reconnect", "Client reconnects."),
          Map.entry("session", "Server housekeeping of connections."),
          Map.entry("stats", "Statistics."),
          Map.entry("history", "The server's own record of its statistics."));

  private static final Map<String, Setting<?>> BY_KEY = new HashMap<>();
  private static final Map<String, List<String>> CHILDREN = new LinkedHashMap<>();

  static {
    for (Setting<?> setting : ALL) {
      BY_KEY.put(setting.key(), setting);
      String parent = "";
      for (String segment : setting.key().split("\\.")) {
        List<String> children = CHILDREN.computeIfAbsent(parent, p -> new ArrayList<>());
        if (!children.contains(segment)) {
          children.add(segment);
        }
        parent = parent.isEmpty() ? segment : parent + "." + segment;
      }
    }
  }

  static final Config DEFAULTS = assemble(new Values());

  private Settings() {}

  /** The setting for a dotted key, or {@code null}. */
  public static Setting<?> byKey(String key) {
    return BY_KEY.get(key);
  }

  /** The live setting behind a JMX attribute of {@code type=Tunables}, or {@code null}. */
  public static Setting<?> byJmxAttribute(String attribute) {
    for (Setting<?> setting : ALL) {
      if (attribute.equals(setting.jmxAttribute())) {
        return setting;
      }
    }
    return null;
  }

  /** The settings that change live, in catalogue order: the JMX {@code Tunables}. */
  public static List<Setting<?>> live() {
    return ALL.stream().filter(Setting::isLive).toList();
  }

  /** True when {@code prefix} is a section (a key that holds keys), e.g. {@code io.tun}. */
  static boolean isSection(String prefix) {
    return !prefix.isEmpty() && CHILDREN.containsKey(prefix);
  }

  /** The names directly under a section ({@code ""} for the top level), in catalogue order. */
  static List<String> children(String prefix) {
    return CHILDREN.getOrDefault(prefix, List.of());
  }

  /** Values by setting; unset settings read as their default. */
  static final class Values {
    private final Map<Setting<?>, Object> values = new HashMap<>();

    <T> void put(Setting<T> setting, Object value) {
      values.put(setting, value);
    }

    boolean isSet(Setting<?> setting) {
      return values.containsKey(setting);
    }

    @SuppressWarnings("unchecked")
    <T> T get(Setting<T> setting) {
      return values.containsKey(setting) ? (T) values.get(setting) : setting.defaultValue();
    }

    /** The values of every setting in {@code config}. */
    static Values of(Config config) {
      Values values = new Values();
      for (Setting<?> setting : ALL) {
        values.put(setting, setting.valueIn(config));
      }
      return values;
    }
  }

  static Config assemble(Values v) {
    List<Config.JmxUser> users = v.get(JMX_USERS);
    List<Config.AlertRule> alerts = v.get(ALERTS);
    return new Config(
        v.get(MODE),
        v.get(BIND),
        v.get(SERVER_ADDRESS),
        v.get(STATE_DIR),
        new Tls(
            v.get(TLS_CERT), v.get(TLS_KEY), v.get(TLS_CA), v.get(TLS_INSECURE), v.get(TLS_CIPHER)),
        new Auth(
            v.get(AUTH_USERS),
            v.get(AUTH_TOKEN_PUBLIC_KEY),
            v.get(AUTH_USER),
            v.get(AUTH_PASSWORD_FILE),
            v.get(AUTH_TOKEN_FILE)),
        new Config.Network(
            v.get(NETWORK_TUN),
            v.get(NETWORK_MTU),
            v.get(NETWORK_POOL),
            v.get(NETWORK_SERVER_IP),
            v.get(NETWORK_CLIENT_IP),
            v.get(NETWORK_DNS_IP)),
        new Io(
            v.get(IO_ENGINE),
            new Ring(v.get(RING_ENTRIES), v.get(RING_SQPOLL_IDLE)),
            new Tun(v.get(TUN_RX_SLOTS), v.get(TUN_BLOCKING)),
            new Udp(v.get(UDP_RX_SLOTS), v.get(UDP_SOCKET_BUFFER)),
            new Tcp(v.get(TCP_SOCKET_BUFFER), v.get(TCP_MAX_CONNECTIONS)),
            new Tx(v.get(TX_SLOTS))),
        new Jmx(
            v.get(JMX_BIND),
            users == null ? null : List.copyOf(users),
            v.get(JMX_TLS),
            v.get(JMX_INSECURE)),
        new Log(v.get(LOG_LEVEL), v.get(LOG_FORMAT)),
        new Keepalive(v.get(KEEPALIVE_INTERVAL), v.get(KEEPALIVE_TIMEOUT)),
        new Reconnect(v.get(RECONNECT_INITIAL_BACKOFF), v.get(RECONNECT_MAX_BACKOFF)),
        new Session(v.get(SESSION_STALE_TIMEOUT), v.get(SESSION_IDLE_TIMEOUT)),
        new Stats(v.get(STATS_INTERVAL)),
        new Config.History(v.get(HISTORY_RETENTION)),
        alerts == null ? null : List.copyOf(alerts));
  }

  private static <T> Setting<T> restart(
      String key,
      Kind<T> kind,
      T defaultValue,
      Set<Role> roles,
      String description,
      Function<Config, T> read) {
    return new Setting<>(key, kind, defaultValue, false, roles, null, description, read);
  }

  private static <T> Setting<T> optional(
      String key, Kind<T> kind, Set<Role> roles, String description, Function<Config, T> read) {
    return new Setting<>(key, kind, null, true, roles, null, description, read);
  }

  private static <T> Setting<T> live(
      String key,
      Kind<T> kind,
      T defaultValue,
      String jmxAttribute,
      String description,
      Function<Config, T> read) {
    return new Setting<>(key, kind, defaultValue, false, BOTH, jmxAttribute, description, read);
  }
}
