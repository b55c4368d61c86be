package dev.ringway.console.link;

/**
 * One server's line in the fleet table, as of its newest report.
 *
 * @param name the profile's name
 * @param address what the console connects to
 * @param status where the link stands
 * @param cause why it is not connected, or the role for a connected one
 * @param version the server's {@code Server.Version}, or null before the first connection
 * @param engine the server's {@code Server.Engine} ({@code uring} or {@code nio}), or null
 * @param sessions connections in any state, or -1 before the first sample
 * @param inMegabits outer traffic received from clients (udp.rx + tcp.rx), Mbit/s; NaN unknown
 * @param outMegabits outer traffic sent to clients (udp.tx + tcp.tx), Mbit/s; NaN unknown
 * @param cpuPercent the server process's CPU load, percent of all CPUs; NaN unknown
 * @param alerts active alerts from {@code dev.ringway:type=Alerts}, or -1 when it has no such bean
 * @param samples samples taken since the console started watching this server
 * @param outcome the last tuning change's outcome here, or null
 */
public record FleetRow(
    String name,
    String address,
    Status status,
    String cause,
    String version,
    String engine,
    int sessions,
    double inMegabits,
    double outMegabits,
    double cpuPercent,
    int alerts,
    long samples,
    FleetOutcome outcome) {

  /** The link's state as the fleet table words it. */
  public enum Status {
    CONNECTING,
    CONNECTED,
    /** Lost a moment ago; the first retry has not failed yet. */
    RECONNECTING,
    /** Not reachable (or the login was refused); the console keeps trying unless refused. */
    DOWN;

    /** The word in the table. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A row for a server not reached yet. */
  static FleetRow connecting(String name, String address) {
    return new FleetRow(
        name,
        address,
        Status.CONNECTING,
        "",
        null,
        null,
        -1,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        -1,
        0,
        null);
  }

  /** The state column: the status and, when not connected, why. */
  public String stateText() {
    return cause == null || cause.isEmpty() ? status.word() : status.word() + ": " + cause;
  }

  FleetRow with(Status status, String cause) {
    return new FleetRow(
        name,
        address,
        status,
        cause,
        version,
        engine,
        sessions,
        inMegabits,
        outMegabits,
        cpuPercent,
        alerts,
        samples,
        outcome);
  }

  FleetRow withIdentity(String version, String engine) {
    return new FleetRow(
        name,
        address,
        status,
        cause,
        version,
        engine,
        sessions,
        inMegabits,
        outMegabits,
        cpuPercent,
        alerts,
        samples,
        outcome);
  }

  FleetRow withFigures(int sessions, double in, double out, double cpu, int alerts) {
    return new FleetRow(
        name,
        address,
        status,
        cause,
        version,
        engine,
        sessions,
        in,
        out,
        cpu,
        alerts,
        samples + 1,
        outcome);
  }

  FleetRow withOutcome(FleetOutcome outcome) {
    return new FleetRow(
        name,
        address,
        status,
        cause,
        version,
        engine,
        sessions,
        inMegabits,
        outMegabits,
        cpuPercent,
        alerts,
        samples,
        outcome);
  }
}
