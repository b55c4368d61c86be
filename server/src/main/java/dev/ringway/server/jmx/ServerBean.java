package dev.ringway.server.jmx;

import dev.ringway.uring.RingFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** {@code type=Server}: identity, uptime, state and the consistent snapshot. */
final class ServerBean implements ServerMXBean {
  private final String version;
  private final String engine;
  private final RingFeatures features;
  private final long startMillis = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();
  private final SnapshotWindow window;
  private final Supplier<String> state;
  private final Supplier<String> reload;

  ServerBean(
      String version,
      String engine,
      RingFeatures features,
      SnapshotWindow window,
      Supplier<String> state,
      Supplier<String> reload) {
    this.version = version;
    this.engine = engine;
    this.features = features;
    this.window = window;
    this.state = state;
    this.reload = reload;
  }

  @Override
  public String getVersion() {
    return version;
  }

  @Override
  public String getEngine() {
    return engine;
  }

  @Override
  public String getKernelRelease() {
    return features.kernelRelease();
  }

  @Override
  public String[] getRingFeatures() {
    List<String> names = new ArrayList<>();
    features.features().forEach(f -> names.add(f.name()));
    features.setupFlags().forEach(f -> names.add("SETUP_" + f.name()));
    if (features.resizeRings()) {
      names.add("RESIZE_RINGS");
    }
    return names.toArray(String[]::new);
  }

  @Override
  public long getStartTime() {
    return startMillis;
  }

  @Override
  public long getUptime() {
    return (System.nanoTime() - startNanos) / 1_000_000L;
  }

  @Override
  public String getState() {
    return state.get();
  }

  @Override
  public Snapshot getSnapshot() {
    return Snapshot.of(window.newest());
  }

  @Override
  public String reload() {
    return reload.get();
  }
}
