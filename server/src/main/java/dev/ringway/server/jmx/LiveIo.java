package dev.ringway.server.jmx;

import dev.ringway.loop.Knobs;
import dev.ringway.loop.Loop;

/**
 * What a live change acts on: the running loop and the knobs its data plane supports. A tunable
 * with no knob (the other mode's, or on nio the ring, read-slot and TUN-blocking ones) is only
 * recorded in the running configuration.
 */
public record LiveIo(Loop loop, Knobs knobs) {
  /** Whether the loop runs on an io_uring ring (which has a knob only there). */
  boolean onRing() {
    return knobs.ring() != null;
  }
}
