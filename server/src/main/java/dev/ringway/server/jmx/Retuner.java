package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigError;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.config.Setting;
import dev.ringway.config.Settings;
import dev.ringway.config.Tunables;
import dev.ringway.loop.Knobs;
import dev.ringway.server.Logging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies live changes: validates the whole change with {@link Tunables#validateChange} first, then
 * applies every part of it inside one {@code loop.call} — one safe point between completion batches
 * — and records the new configuration. A part that fails undoes the parts already applied, so a
 * change lands completely or not at all. One change at a time.
 *
 * <p>On the nio engine the ring, TUN slot and blocking, and UDP receive-slot tunables are validated
 * and recorded like any other (so the running configuration stays what the operator asked for, and
 * takes effect if the server later runs on io_uring), but change nothing now; the outcome says so
 * and the server logs it.
 */
final class Retuner {
  private static final Logger log = LoggerFactory.getLogger(Retuner.class);
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final int PENDING = 0;
  private static final int RUNNING = 1;
  private static final int ABANDONED = 2;

  private final LiveIo io;
  private final AtomicReference<Config> current;

  Retuner(LiveIo io, Config initial) {
    this.io = io;
    this.current = new AtomicReference<>(initial);
  }

  /** The running configuration, including every change applied so far. */
  Config current() {
    return current.get();
  }

  /** What became of a requested change. */
  sealed interface Outcome {
    /** One line for the operator. */
    String render();
  }

  /** One key's change; values in their JMX form (see {@link Setting#jmxValueIn}). */
  record Change(
      Setting<?> setting, Object oldValue, Object newValue, String oldText, String newText) {}

  /** Every change landed. {@code total} counts from the request, {@code onLoop} the safe point. */
  record Applied(List<Change> changes, Duration total, Duration onLoop, String notes)
      implements Outcome {
    @Override
    public String render() {
      if (changes.isEmpty()) {
        return "nothing to apply: every value is already set";
      }
      return "applied "
          + changes.stream()
              .map(c -> c.setting().key() + " " + c.oldText() + " → " + c.newText())
              .collect(Collectors.joining(", "))
          + notes
          + " in "
          + millis(total)
          + " ("
          + millis(onLoop)
          + " on the loop)";
    }
  }

  /** The change broke a rule; nothing was touched. */
  record Refused(List<String> errors) implements Outcome {
    @Override
    public String render() {
      return "refused, nothing changed: " + String.join("; ", errors);
    }
  }

  /** Applying failed or did not finish in time; what was applied has been undone. */
  record Failed(String reason) implements Outcome {
    @Override
    public String render() {
      return "failed, nothing changed: " + reason;
    }
  }

  /** Validates and applies {@code changesByYamlKey}, all or nothing. */
  synchronized Outcome apply(Map<String, String> changesByYamlKey) {
    long begin = System.nanoTime();
    Config before = current.get();
    Config after;
    switch (Tunables.validateChange(before, changesByYamlKey)) {
      case ConfigOutcome.Valid valid -> after = valid.config();
      case ConfigOutcome.Invalid invalid -> {
        return new Refused(invalid.errors().stream().map(Retuner::describe).toList());
      }
    }
    List<Change> changes = changesBetween(before, after);
    if (changes.isEmpty()) {
      return new Applied(changes, Duration.ofNanos(System.nanoTime() - begin), Duration.ZERO, "");
    }
    AtomicInteger state = new AtomicInteger(PENDING);
    CompletableFuture<LoopResult> applied =
        io.loop()
            .call(() -> {
              if (!state.compareAndSet(PENDING, RUNNING)) {
                return null;
              }
              return applyOnLoop(before, after);
            });
    LoopResult result;
    try {
      try {
        result = applied.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (state.compareAndSet(PENDING, ABANDONED)) {
          return new Failed(
              "the loop did not reach a safe point within " + TIMEOUT.toSeconds() + " s");
        }
        // It started just in time: its outcome decides, so wait for it (undo is bounded too).
        result = applied.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Failed(cause.getMessage() == null ? cause.toString() : cause.getMessage());
    } catch (TimeoutException e) {
      return new Failed(
          "applying did not finish within "
              + 2 * TIMEOUT.toSeconds()
              + " s; the loop may be stuck — check the log");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed("interrupted while waiting for the loop");
    }
    current.set(after);
    return new Applied(
        changes,
        Duration.ofNanos(System.nanoTime() - begin),
        Duration.ofNanos(result.loopNanos()),
        result.notes());
  }

  private record LoopResult(long loopNanos, String notes) {}

  /** One part of a change, with how to take it back. */
  private interface Step {
    void apply() throws Exception;

    void undo() throws Exception;
  }

  /** Loop thread only: every step, undoing the applied ones in reverse if one fails. */
  private LoopResult applyOnLoop(Config before, Config after) throws Exception {
    long start = System.nanoTime();
    StringBuilder notes = new StringBuilder();
    List<Step> steps = plan(before, after, notes);
    List<Step> done = new ArrayList<>();
    try {
      for (Step step : steps) {
        step.apply();
        done.add(step);
      }
    } catch (Exception e) {
      for (int i = done.size() - 1; i >= 0; i--) {
        try {
          done.get(i).undo();
        } catch (Exception undoFailure) {
          e.addSuppressed(undoFailure);
        }
      }
      throw e;
    }
    return new LoopResult(System.nanoTime() - start, notes.toString());
  }

  private List<Step> plan(Config before, Config after, StringBuilder notes) {
    Config.Io was = before.io();
    Config.Io now = after.io();
    List<Step> steps = new ArrayList<>();
    List<String> uringOnly = new ArrayList<>();
    boolean udpMode = io.knobs().get("io.udp.socketBuffer") != null;
    boolean tcpMode = io.knobs().get("io.tcp.socketBuffer") != null;
    boolean udpChanged =
        now.udp().rxSlots() != was.udp().rxSlots()
            || now.udp().socketBuffer() != was.udp().socketBuffer();
    boolean tcpChanged =
        now.tcp().socketBuffer() != was.tcp().socketBuffer()
            || now.tcp().maxConnections() != was.tcp().maxConnections();
    if (!udpMode && udpChanged) {
      notes.append("; io.udp.* recorded only, this server runs in tcp mode");
    }
    if (!tcpMode && tcpChanged) {
      notes.append("; io.tcp.* recorded only, this server runs in udp mode");
    }
    knob(steps, uringOnly, true, "io.tun.rxSlots", was.tun().rxSlots(), now.tun().rxSlots());
    knob(
        steps,
        uringOnly,
        true,
        "io.tun.blocking",
        was.tun().blocking() ? 1 : 0,
        now.tun().blocking() ? 1 : 0);
    knob(steps, uringOnly, false, "io.tx.slots", was.tx().slots(), now.tx().slots());
    knob(steps, uringOnly, udpMode, "io.udp.rxSlots", was.udp().rxSlots(), now.udp().rxSlots());
    knob(
        steps,
        uringOnly,
        false,
        "io.udp.socketBuffer",
        was.udp().socketBuffer(),
        now.udp().socketBuffer());
    knob(
        steps,
        uringOnly,
        false,
        "io.tcp.socketBuffer",
        was.tcp().socketBuffer(),
        now.tcp().socketBuffer());
    knob(
        steps,
        uringOnly,
        false,
        "io.tcp.maxConnections",
        was.tcp().maxConnections(),
        now.tcp().maxConnections());
    if (after.log().level() != before.log().level()) {
      steps.add(
          step(
              () -> Logging.setLevel(after.log().level()),
              () -> Logging.setLevel(before.log().level())));
    }
    Knobs.RingKnob ring = io.knobs().ring();
    if (ring == null && !now.ring().equals(was.ring())) {
      uringOnly.add("io.ring.*");
    }
    if (!uringOnly.isEmpty()) {
      String keys = String.join(", ", uringOnly);
      notes
          .append("; ")
          .append(keys)
          .append(" recorded only, they take effect on the uring engine");
      log.info("{} recorded only: this server runs on the nio engine", keys);
    }
    Step ringStep = ring == null ? null : ringStep(ring, was.ring(), now.ring(), notes);
    if (ringStep != null) {
      // A bigger ring goes first and a smaller one last, so that at every moment the operations
      // the sources keep in flight fit the completion queue (the slot budget).
      if (now.ring().entries() > was.ring().entries()) {
        steps.addFirst(ringStep);
      } else {
        steps.add(ringStep);
      }
    }
    return steps;
  }

  /**
   * A step that turns the knob of {@code key} from {@code was} to {@code now} when they differ.
   * Without a knob the key is recorded only: silently when the other mode owns it (noted above),
   * else, when {@code uringOnly}, listed as taking effect on the uring engine.
   */
  private void knob(
      List<Step> steps, List<String> uringOnly, boolean onlyOnUring, String key, int was, int now) {
    if (now == was) {
      return;
    }
    Knobs.Knob knob = io.knobs().get(key);
    if (knob != null) {
      steps.add(step(() -> knob.set(now), () -> knob.set(was)));
    } else if (onlyOnUring) {
      uringOnly.add(key);
    }
  }

  private static Step ringStep(
      Knobs.RingKnob ring, Config.Ring was, Config.Ring now, StringBuilder notes) {
    if (!now.sqpollIdle().equals(was.sqpollIdle())) {
      return step(() -> notes.append(migrate(ring, now)), () -> migrate(ring, was));
    }
    if (now.entries() != was.entries()) {
      return step(() -> notes.append(ring.resize(now.entries())), () -> ring.resize(was.entries()));
    }
    return null;
  }

  private static String migrate(Knobs.RingKnob ring, Config.Ring to) throws Exception {
    return ring.migrate(to.entries(), to.cqEntries(), (int) to.sqpollIdle().toMillis());
  }

  private interface Action {
    void run() throws Exception;
  }

  private static Step step(Action apply, Action undo) {
    return new Step() {
      @Override
      public void apply() throws Exception {
        apply.run();
      }

      @Override
      public void undo() throws Exception {
        undo.run();
      }
    };
  }

  private static List<Change> changesBetween(Config before, Config after) {
    List<Change> changes = new ArrayList<>();
    for (Setting<?> setting : Settings.live()) {
      Object was = setting.jmxValueIn(before);
      Object now = setting.jmxValueIn(after);
      if (!Objects.equals(was, now)) {
        changes.add(new Change(setting, was, now, setting.textIn(before), setting.textIn(after)));
      }
    }
    return changes;
  }

  /**
   * An error of a JMX write — the key and the rule, without a file position (its origin is empty) —
   * plus the value when the rule does not already quote it.
   */
  private static String describe(ConfigError error) {
    String rendered = error.render();
    if (error.value() != null && !rendered.contains(error.value())) {
      return rendered + " (value given: " + error.value() + ")";
    }
    return rendered;
  }

  private static String millis(Duration duration) {
    return String.format("%.1f ms", duration.toNanos() / 1e6);
  }
}
