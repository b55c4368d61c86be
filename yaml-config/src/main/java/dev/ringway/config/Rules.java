package dev.ringway.config;

import static dev.ringway.config.Settings.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Rules that relate several keys: the slot budget, pairs that go together, and what each role
 * requires. The same rules run on load, on JMX writes and in the console.
 */
final class Rules {

  /** A broken rule, blamed on one key. */
  record Violation(Setting<?> setting, String value, String rule, String suggestion) {}

  private final Config config;
  private final Predicate<Setting<?>> written;
  private final Predicate<Setting<?>> invalid;
  private final List<Violation> violations = new ArrayList<>();

  private Rules(Config config, Predicate<Setting<?>> written, Predicate<Setting<?>> invalid) {
    this.config = config;
    this.written = written;
    this.invalid = invalid;
  }

  /**
   * The rules {@code config} breaks. {@code role} adds that role's requirements ({@code null}:
   * none, for a change to a running configuration that already met them). {@code written} tells
   * which keys the user set, to blame the right one; a rule involving an {@code invalid} key is
   * skipped, because that key's own error says more.
   */
  static List<Violation> check(
      Config config, Role role, Predicate<Setting<?>> written, Predicate<Setting<?>> invalid) {
    Rules rules = new Rules(config, written, invalid);
    rules.slotBudget();
    if (role == Role.SERVER) {
      rules.serverRequirements();
    } else if (role == Role.CLIENT) {
      rules.clientRequirements();
    }
    if (role != null) {
      rules.jmxAuthentication();
    }
    return rules.violations;
  }

  private boolean involvesInvalid(Setting<?>... settings) {
    for (Setting<?> setting : settings) {
      if (invalid.test(setting)) {
        return true;
      }
    }
    return false;
  }

  private void blame(Setting<?> setting, String rule, String suggestion) {
    Object value = setting.valueIn(config);
    violations.add(
        new Violation(setting, value == null ? null : setting.textIn(config), rule, suggestion));
  }

  private void slotBudget() {
    Config.Mode mode = config.mode();
    List<Setting<?>> slots =
        mode == Config.Mode.UDP
            ? List.of(TUN_RX_SLOTS, UDP_RX_SLOTS, TX_SLOTS)
            : List.of(TUN_RX_SLOTS, TX_SLOTS, TCP_MAX_CONNECTIONS);
    if (involvesInvalid(
            MODE, RING_ENTRIES, TUN_RX_SLOTS, UDP_RX_SLOTS, TX_SLOTS, TCP_MAX_CONNECTIONS)
        || SlotBudget.fits(mode, config.io())) {
      return;
    }
    int inFlight = SlotBudget.inFlight(mode, config.io());
    int capacity = config.io().ring().cqEntries();
    StringBuilder sum = new StringBuilder();
    for (Setting<?> slot : slots) {
      sum.append(slot == TCP_MAX_CONNECTIONS ? "2 × " : "")
          .append(slot.key())
          .append(' ')
          .append(slot.textIn(config))
          .append(" + ");
    }
    String rule =
        "slot budget exceeded in "
            + mode
            + " mode: "
            + sum
            + SlotBudget.CONTROL_SLOTS
            + " control = "
            + inFlight
            + " completions in flight, more than the "
            + capacity
            + " the completion queue holds (2 × io.ring.entries "
            + config.io().ring().entries()
            + ")";
    Setting<?> culprit = culprit(slots);
    blame(culprit, rule, fittingValue(culprit, inFlight - capacity));
  }

  /**
   * The key to blame for a broken budget: a written slot count whose default would fit, else the
   * ring size if written, else the first written slot count.
   */
  private Setting<?> culprit(List<Setting<?>> slots) {
    for (Setting<?> slot : slots) {
      if (written.test(slot)) {
        Settings.Values values = Settings.Values.of(config);
        values.put(slot, slot.defaultValue());
        if (SlotBudget.fits(config.mode(), Settings.assemble(values).io())) {
          return slot;
        }
      }
    }
    if (written.test(RING_ENTRIES)) {
      return RING_ENTRIES;
    }
    return slots.stream().filter(written).findFirst().orElse(RING_ENTRIES);
  }

  /** The nearest value of {@code culprit} that fits the budget, if one is in range. */
  private String fittingValue(Setting<?> culprit, int excess) {
    if (culprit == RING_ENTRIES) {
      int needed = SlotBudget.inFlight(config.mode(), config.io());
      int half = (needed + 1) / 2;
      int entries = Integer.bitCount(half) == 1 ? half : Integer.highestOneBit(half) << 1;
      Kind.Whole range = (Kind.Whole) RING_ENTRIES.kind;
      return entries <= range.max() ? Integer.toString(Math.max(entries, range.min())) : null;
    }
    int current = (Integer) culprit.valueIn(config);
    int perUnit = culprit == TCP_MAX_CONNECTIONS ? 2 : 1;
    int fitting = current - (excess + perUnit - 1) / perUnit;
    return fitting >= 1 ? Integer.toString(fitting) : null;
  }

  private void serverRequirements() {
    Config.Tls tls = config.tls();
    if ((tls.cert() == null) != (tls.key() == null) && !involvesInvalid(TLS_CERT, TLS_KEY)) {
      Setting<?> missing = tls.cert() == null ? TLS_CERT : TLS_KEY;
      Setting<?> present = missing == TLS_CERT ? TLS_KEY : TLS_CERT;
      blame(
          missing,
          "missing — "
              + present.key()
              + " is set, so "
              + missing.key()
              + " must be too (or unset both to have a self-signed pair generated into stateDir)",
          null);
    }
    Config.Network network = config.network();
    if (network.serverIp().equals(network.clientIp())
        && !involvesInvalid(NETWORK_SERVER_IP, NETWORK_CLIENT_IP)) {
      blame(
          written.test(NETWORK_CLIENT_IP) ? NETWORK_CLIENT_IP : NETWORK_SERVER_IP,
          "network.serverIp and network.clientIp are the same address — the client's peer must"
              + " differ from the client",
          null);
    }
    Config.Session session = config.session();
    if (session.staleTimeout().compareTo(session.idleTimeout()) > 0
        && !involvesInvalid(SESSION_STALE_TIMEOUT, SESSION_IDLE_TIMEOUT)) {
      blame(
          SESSION_STALE_TIMEOUT,
          "value "
              + SESSION_STALE_TIMEOUT.textIn(config)
              + " is longer than session.idleTimeout "
              + SESSION_IDLE_TIMEOUT.textIn(config)
              + " — a connection cannot be stale after it could have aged out",
          null);
    }
  }

  private void clientRequirements() {
    if (config.server() == null && !involvesInvalid(SERVER_ADDRESS)) {
      blame(
          SERVER_ADDRESS,
          "missing — a client needs the server's address, e.g. server: vpn.example.com:27690",
          null);
    }
    Config.Tls tls = config.tls();
    if (!involvesInvalid(TLS_CA, TLS_INSECURE)) {
      if (tls.ca() == null && !tls.insecure()) {
        blame(
            TLS_CA,
            "missing — a client verifies the server's certificate against tls.ca (tls.insecure:"
                + " true skips that, for tests only)",
            null);
      } else if (tls.ca() != null && tls.insecure()) {
        blame(
            TLS_INSECURE,
            "value true contradicts tls.ca — insecure skips the verification tls.ca is for;"
                + " remove one",
            null);
      }
    }
    Config.Auth auth = config.auth();
    if (!involvesInvalid(AUTH_USER, AUTH_PASSWORD_FILE, AUTH_TOKEN_FILE)) {
      boolean password = auth.user() != null || auth.passwordFile() != null;
      if (auth.tokenFile() != null && password) {
        blame(
            AUTH_TOKEN_FILE,
            "token and password auth are both configured — keep auth.tokenFile, or auth.user"
                + " with auth.passwordFile",
            null);
      } else if (auth.user() != null && auth.passwordFile() == null) {
        blame(
            AUTH_PASSWORD_FILE,
            "missing — auth.user is set, so auth.passwordFile must be too",
            null);
      } else if (auth.user() == null && auth.passwordFile() != null) {
        blame(AUTH_USER, "missing — auth.passwordFile is set, so auth.user must be too", null);
      } else if (!password && auth.tokenFile() == null) {
        blame(
            AUTH_USER,
            "missing — a client needs credentials: auth.user with auth.passwordFile, or"
                + " auth.tokenFile",
            null);
      }
    }
    Config.Keepalive keepalive = config.keepalive();
    if (keepalive.timeout().compareTo(keepalive.interval()) <= 0
        && !involvesInvalid(KEEPALIVE_INTERVAL, KEEPALIVE_TIMEOUT)) {
      blame(
          KEEPALIVE_TIMEOUT,
          "value "
              + KEEPALIVE_TIMEOUT.textIn(config)
              + " is not longer than keepalive.interval "
              + KEEPALIVE_INTERVAL.textIn(config)
              + " — the connection would be declared dead before the next ping",
          null);
    }
    Config.Reconnect reconnect = config.reconnect();
    if (reconnect.maxBackoff().compareTo(reconnect.initialBackoff()) < 0
        && !involvesInvalid(RECONNECT_INITIAL_BACKOFF, RECONNECT_MAX_BACKOFF)) {
      blame(
          RECONNECT_MAX_BACKOFF,
          "value "
              + RECONNECT_MAX_BACKOFF.textIn(config)
              + " is shorter than reconnect.initialBackoff "
              + RECONNECT_INITIAL_BACKOFF.textIn(config),
          null);
    }
  }

  private void jmxAuthentication() {
    Config.Jmx jmx = config.jmx();
    if (!jmx.bind().isLoopback()
        && jmx.users() == null
        && !jmx.insecure()
        && !involvesInvalid(JMX_BIND, JMX_USERS, JMX_INSECURE)) {
      blame(
          JMX_BIND,
          "value "
              + jmx.bind()
              + " is not a loopback address, so JMX needs jmx.users (or jmx.insecure: true, which"
              + " lets anyone who reaches the port retune the server)",
          null);
    }
  }
}
