package dev.ringway.loop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live settings one data plane supports, by their YAML key ({@code io.tun.rxSlots}, {@code
 * io.tcp.maxConnections} …), so that whoever retunes asks for a knob instead of testing which
 * engine or mode runs. A key with no knob is not live here: the other mode's keys, and on nio the
 * ring, read-slot and TUN-blocking keys. Every knob runs on the loop thread.
 */
public final class Knobs {
  /** One integer setting (booleans as 0 and 1). */
  @FunctionalInterface
  public interface Knob {
    void set(int value) throws Exception;
  }

  /** The io_uring ring: resized, or replaced by one with other options. */
  public interface RingKnob {
    /** Moves to a new ring with these options; returns a note for the operator. */
    String migrate(int entries, int cqEntries, int sqpollIdleMillis) throws Exception;

    /** Resizes the ring, in place where the kernel can; returns a note for the operator. */
    String resize(int entries) throws Exception;
  }

  private final Map<String, Knob> byKey = new LinkedHashMap<>();
  private RingKnob ring;

  /** Adds the knob for {@code key}; while the data plane is being opened. */
  public Knobs add(String key, Knob knob) {
    if (byKey.putIfAbsent(key, knob) != null) {
      throw new IllegalStateException(key + " has a knob already");
    }
    return this;
  }

  /** Sets the ring's knob; while the data plane is being opened. */
  public Knobs ring(RingKnob knob) {
    this.ring = knob;
    return this;
  }

  /** The knob of {@code key}, or null when it is not live on this data plane. */
  public Knob get(String key) {
    return byKey.get(key);
  }

  /** The ring's knob, or null when there is no ring (nio). */
  public RingKnob ring() {
    return ring;
  }
}
