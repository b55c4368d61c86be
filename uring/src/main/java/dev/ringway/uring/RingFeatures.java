package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this kernel's io_uring offers, probed once: the release, the operations it supports ({@code
 * IORING_REGISTER_PROBE}), the setup flags it accepts (each tried on a throwaway ring), the
 * features it reports, and whether rings can be resized. The server reports it as is.
 *
 * @param kernelRelease {@code uname -r}
 * @param opcodes supported operations this binding knows by name
 * @param lastOpcode the highest operation number the kernel knows, named or not
 * @param setupFlags setup flags the kernel accepted
 * @param features {@code IORING_FEAT_*} reported at setup
 * @param resizeRings whether {@code IORING_REGISTER_RESIZE_RINGS} works (6.13+)
 */
public record RingFeatures(
    String kernelRelease,
    Set<Opcode> opcodes,
    int lastOpcode,
    Set<SetupFlag> setupFlags,
    Set<RingFeature> features,
    boolean resizeRings) {

  private static final int PROBE_OPS = 256;
  private static final int OP_SUPPORTED = 1;
  private static volatile Boolean resizeSupported;

  public RingFeatures {
    opcodes = Collections.unmodifiableSet(EnumSet.copyOf(withNone(opcodes, Opcode.class)));
    setupFlags = Collections.unmodifiableSet(EnumSet.copyOf(withNone(setupFlags, SetupFlag.class)));
    features = Collections.unmodifiableSet(EnumSet.copyOf(withNone(features, RingFeature.class)));
  }

  private static <E extends Enum<E>> EnumSet<E> withNone(Set<E> set, Class<E> type) {
    EnumSet<E> copy = EnumSet.noneOf(type);
    copy.addAll(set);
    return copy;
  }

  /** Whether the kernel supports {@code opcode}. */
  public boolean supports(Opcode opcode) {
    return opcodes.contains(opcode);
  }

  /** Probes the running kernel. Takes a few milliseconds: call once and keep the result. */
  public static RingFeatures probe() throws LinuxException {
    String release = LinuxFiles.kernelRelease();
    EnumSet<Opcode> opcodes = EnumSet.noneOf(Opcode.class);
    int lastOpcode;
    int features;
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment params = scratch.allocate(Layouts.PARAMS);
      int fd = Syscalls.setup(2, params);
      try {
        features = params.get(JAVA_INT, Layouts.P_FEATURES);
        long size = Layouts.PROBE.byteSize() + PROBE_OPS * Layouts.PROBE_OP.byteSize();
        MemorySegment probe = scratch.allocate(size, 8);
        Syscalls.register(fd, Syscalls.REGISTER_PROBE, probe, PROBE_OPS, "REGISTER_PROBE");
        lastOpcode = probe.get(JAVA_BYTE, 0) & 0xff;
        int length = probe.get(JAVA_BYTE, 1) & 0xff;
        for (int i = 0; i < length; i++) {
          long entry = Layouts.PROBE.byteSize() + i * Layouts.PROBE_OP.byteSize();
          int op = probe.get(JAVA_BYTE, entry) & 0xff;
          boolean supported = (probe.get(JAVA_SHORT, entry + 2) & OP_SUPPORTED) != 0;
          Opcode known = Opcode.of(op);
          if (supported && known != null) {
            opcodes.add(known);
          }
        }
      } finally {
        LinuxFiles.close(fd);
      }
    }
    EnumSet<SetupFlag> accepted = EnumSet.noneOf(SetupFlag.class);
    for (SetupFlag flag : SetupFlag.values()) {
      if (accepts(flag)) {
        accepted.add(flag);
      }
    }
    return new RingFeatures(
        release, opcodes, lastOpcode, accepted, RingFeature.of(features), resizeSupported());
  }

  private static boolean accepts(SetupFlag flag) {
    int bits = flag.bit();
    if (flag == SetupFlag.DEFER_TASKRUN) {
      bits |= SetupFlag.SINGLE_ISSUER.bit();
    }
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment params = scratch.allocate(Layouts.PARAMS);
      params.set(JAVA_INT, Layouts.P_FLAGS, bits);
      params.set(JAVA_INT, Layouts.P_CQ_ENTRIES, 8);
      params.set(JAVA_INT, Layouts.P_SQ_THREAD_IDLE, 1);
      LinuxFiles.close(Syscalls.setup(2, params));
      return true;
    } catch (LinuxException e) {
      return false;
    }
  }

  /** Whether rings can be resized here; probed once per process on a throwaway ring. */
  static boolean resizeSupported() {
    Boolean known = resizeSupported;
    if (known == null) {
      known = tryResize();
      resizeSupported = known;
    }
    return known;
  }

  private static boolean tryResize() {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment params = scratch.allocate(Layouts.PARAMS);
      params.set(
          JAVA_INT, Layouts.P_FLAGS, SetupFlag.SINGLE_ISSUER.bit() | SetupFlag.DEFER_TASKRUN.bit());
      int fd = Syscalls.setup(2, params);
      try {
        MemorySegment resize = scratch.allocate(Layouts.PARAMS);
        resize.set(JAVA_INT, Layouts.P_SQ_ENTRIES, 4);
        Syscalls.register(fd, Syscalls.REGISTER_RESIZE_RINGS, resize, 1, "RESIZE_RINGS");
        return true;
      } finally {
        LinuxFiles.close(fd);
      }
    } catch (LinuxException e) {
      return false;
    }
  }

  /** One line per fact, for logs and the server's report. */
  @Override
  public String toString() {
    List<String> lines = new ArrayList<>();
    lines.add("kernel " + kernelRelease);
    lines.add("setup flags: " + names(setupFlags));
    lines.add("features: " + names(features));
    lines.add("resize rings: " + (resizeRings ? "yes" : "no"));
    lines.add("operations (" + opcodes.size() + ", last " + lastOpcode + "): " + names(opcodes));
    return String.join("\n", lines);
  }

  private static String names(Set<? extends Enum<?>> values) {
    return values.stream().map(Enum::name).collect(Collectors.joining(" "));
  }
}
