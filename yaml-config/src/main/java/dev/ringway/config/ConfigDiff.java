package dev.ringway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload changes: live keys, ready for {@link Tunables#validateChange} and the same apply
 * path as a JMX write, and keys that only take effect after a restart, which a reload reports and
 * leaves alone.
 *
 * @param live changed live keys and their new values as YAML text, in catalogue order
 * @param restartRequired changed keys that need a restart, each with its old and new value
 */
public record ConfigDiff(Map<String, String> live, List<Change> restartRequired) {

  public ConfigDiff {
    live = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(live));
    restartRequired = List.copyOf(restartRequired);
  }

  /** A restart-only key that differs: {@code network.pool: 10.125.0.0/16 → 10.126.0.0/16}. */
  public record Change(String key, String before, String after) {
    @Override
    public String toString() {
      return key + ": " + before + " → " + after;
    }
  }

  /** The differences from the running configuration to the reloaded one. */
  public static ConfigDiff between(Config running, Config reloaded) {
    Map<String, String> live = new LinkedHashMap<>();
    List<Change> restart = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      if (Objects.equals(setting.valueIn(running), setting.valueIn(reloaded))) {
        continue;
      }
      if (setting.isLive()) {
        live.put(setting.key(), setting.textIn(reloaded));
      } else {
        restart.add(new Change(setting.key(), setting.textIn(running), setting.textIn(reloaded)));
      }
    }
    return new ConfigDiff(live, restart);
  }

  /** True when the reload changes nothing. */
  public boolean isEmpty() {
    return live.isEmpty() && restartRequired.isEmpty();
  }
}
