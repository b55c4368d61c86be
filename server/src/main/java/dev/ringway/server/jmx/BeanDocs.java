package dev.ringway.server.jmx;

import dev.ringway.config.Setting;
import dev.ringway.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;

/** The description and unit of every attribute and operation of the contract's MXBeans. */
final class BeanDocs {
  private BeanDocs() {}

  /** Tunables: straight from the settings catalogue, the one source of truth. */
  static Map<String, Doc> tunables() {
    Map<String, Doc> docs = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.live()) {
      String unit = setting.jmxUnit();
      if (unit.isEmpty()) {
        unit = setting == Settings.LOG_LEVEL ? "level" : "boolean";
      }
      docs.put(
          setting.jmxAttribute(),
          new Doc(
              setting.description()
                  + " YAML key "
                  + setting.key()
                  + ": "
                  + setting.expected()
                  + ".",
              unit));
    }
    return docs;
  }

  static Map<String, Doc.Op> tunablesOps() {
    return Map.of(
        "apply",
        Doc.Op.acts(
            "Applies several changes at once, keyed by YAML key (io.tun.rxSlots=128,"
                + " io.ring.sqpollIdle=100ms …): all of them or none. Returns what was applied,"
                + " old → new, and how long it took; fails naming key, value and rule."));
  }

  static Map<String, Doc> server() {
    return Map.of(
        "Version", new Doc("Ringway version.", "text"),
        "Engine", new Doc("I/O engine the loop runs on (uring or nio).", "text"),
        "KernelRelease", new Doc("Linux release (uname -r).", "text"),
        "RingFeatures",
            new Doc(
                "io_uring features, accepted setup flags (SETUP_*) and RESIZE_RINGS when rings"
                    + " resize in place; empty when io_uring is unavailable (nio engine).",
                "names"),
        "StartTime", new Doc("When the server started.", "epoch milliseconds"),
        "Uptime", new Doc("How long the server has run.", "milliseconds"),
        "State", new Doc("running or stopped.", "text"),
        "Snapshot",
            new Doc(
                "One stats tick: epochMillis and monotonicNanos (server clocks), ring figures and"
                    + " every path's counters, all taken together; rates from two of them are"
                    + " consistent.",
                "composite"));
  }

  static Map<String, Doc.Op> serverOps() {
    return Map.of(
        "reload",
        Doc.Op.acts(
            "Reads the configuration file again and applies its live changes like apply();"
                + " names the changes that need a restart."));
  }

  static Map<String, Doc> ring() {
    // The nio engine has no ring: every ring figure reads 0 there, MaxLoopIterationNanos and the
    // CPU figures excepted.
    Map<String, Doc> docs = new LinkedHashMap<>();
    docs.put(
        "Entries",
        new Doc("Submission-queue entries of the current ring; 0 on the nio engine.", "entries"));
    docs.put("CqEntries", new Doc("Completion-queue entries of the current ring.", "entries"));
    docs.put(
        "SqpollIdleMillis", new Doc("SQPOLL idle time; 0 when SQPOLL is off.", "milliseconds"));
    docs.put(
        "Generation",
        new Doc(
            "Ring migrations since start (SQPOLL changes, resizes by migration).", "migrations"));
    docs.put("Enters", new Doc("io_uring_enter calls since start.", "calls"));
    docs.put("CqesPerEnter", new Doc("Completions reaped per io_uring_enter.", "completions/call"));
    docs.put(
        "CqOverflows",
        new Doc("Times the completion queue overflowed (the slot budget was broken).", "events"));
    docs.put("SqFull", new Doc("Times a request found the submission queue full.", "events"));
    docs.put(
        "MaxLoopIterationNanos",
        new Doc("Longest time one loop iteration spent working, not waiting.", "nanoseconds"));
    docs.put("LoopThreadCpuNanos", new Doc("CPU time of the loop thread.", "nanoseconds"));
    docs.put(
        "SqpollThreadCpuNanos",
        new Doc(
            "CPU time of the SQPOLL kernel thread (iou-sqp-*) of the current ring: the hidden"
                + " cost of SQPOLL; 0 when it is off.",
            "nanoseconds"));
    docs.put(
        "ProcessCpuLoad",
        new Doc("Recent CPU load of the whole process across all CPUs.", "fraction 0..1"));
    return docs;
  }

  static Map<String, Doc> path() {
    Map<String, Doc> docs = new LinkedHashMap<>();
    docs.put("Slots", new Doc("Operations this path may keep in flight.", "slots"));
    docs.put("InFlight", new Doc("Operations in the kernel right now.", "operations"));
    docs.put(
        "MaxInFlight", new Doc("Most operations in flight at once since start.", "operations"));
    docs.put(
        "Submitted",
        new Doc(
            "Operations handed to the ring since start (nio engine: reads and sends made, each"
                + " complete at once).",
            "operations"));
    docs.put(
        "Completed", new Doc("Completions reaped since start, errors included.", "operations"));
    docs.put("Bytes", new Doc("Payload bytes moved since start.", "bytes"));
    docs.put("Packets", new Doc("Packets, datagrams or segments moved since start.", "packets"));
    docs.put(
        "Eagain",
        new Doc(
            "Completions with EAGAIN since start: waiting non-blocking reads that lost the race —"
                + " the key sign of too many slots (nio engine: reads and sends that would block).",
            "completions"));
    docs.put("Canceled", new Doc("Completions with ECANCELED since start.", "completions"));
    docs.put(
        "Errors", new Doc("Other failed completions and dropped bad input since start.", "events"));
    docs.put(
        "SlotExhausted",
        new Doc("Times an operation could not start because every slot was busy.", "events"));
    docs.put("BytesPerSecond", new Doc("Bytes over about the last second.", "bytes/second"));
    docs.put("PacketsPerSecond", new Doc("Packets over about the last second.", "packets/second"));
    docs.put(
        "EagainPerSecond",
        new Doc("EAGAIN completions over about the last second.", "events/second"));
    return docs;
  }

  static Map<String, Doc> connections() {
    return Map.of(
        "Count", new Doc("Connections, in any state.", "connections"),
        "Online", new Doc("Connections authenticated and passing traffic.", "connections"));
  }

  static Map<String, Doc.Op> connectionsOps() {
    return Map.of(
        "list",
        Doc.Op.reads(
            "One row per connection: session, mode, state, inner IP, outer address, inside bytes"
                + " in and out, milliseconds since last seen."),
        "disconnect",
        Doc.Op.acts("Says Goodbye to the connection with this session id (16 hex digits)."));
  }

  static Map<String, Doc> history() {
    return Map.of(
        "Oldest",
            new Doc("When the oldest sample held was taken; 0 when empty.", "epoch milliseconds"),
        "Newest", new Doc("When the newest sample was taken; 0 when empty.", "epoch milliseconds"),
        "Capacity",
            new Doc("Samples held at most: history.retention over stats.interval.", "samples"),
        "Size", new Doc("Samples held now; starts at 0 when the server starts.", "samples"),
        "IntervalMillis", new Doc("Time between samples (stats.interval).", "milliseconds"),
        "MemoryBytes", new Doc("Heap the history takes, allocated whole at start.", "bytes"));
  }

  static Map<String, Doc.Op> historyOps() {
    return Map.of(
        "range",
        Doc.Op.reads(
            "range(fromEpochMillis, toEpochMillis, maxPoints): the samples taken in that time"
                + " range, oldest first; more than maxPoints (1 to 100000) are thinned to evenly"
                + " spaced ones, first and last kept. Counters are cumulative, so rates between any"
                + " two returned samples are exact; a gap in the timestamps is a time the server"
                + " was not running."));
  }

  static Map<String, Doc> alerts() {
    return Map.of(
        "Active",
        new Doc(
            "Alerts raised and not cleared: rule, figure, condition, the value when raised and"
                + " when.",
            "alerts"),
        "History",
        new Doc(
            "The last " + AlertsBean.HISTORY + " raise and clear events, oldest first.", "events"),
        "Rules",
        new Doc("The rules in force, one line each.", "rules"));
  }
}
