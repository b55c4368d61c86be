package dev.ringway.console.link;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.config.Setting;
import dev.ringway.config.Settings;
import dev.ringway.config.Tunables;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's live tunables as read over JMX, as YAML text keyed by YAML key ({@code
 * io.tun.rxSlots → 64}) — the form {@code Tunables.apply} and the yaml-config rules take.
 *
 * @param mode the server's mode, which decides which slot budget applies
 * @param valuesByKey every live key's applied value, in {@link Settings#live()} order
 */
public record LiveTunables(Config.Mode mode, Map<String, String> valuesByKey) {

  public LiveTunables {
    valuesByKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(valuesByKey));
  }

  /** Converts attribute values of {@code type=Tunables} ({@code TunRxSlots → 64}) to YAML text. */
  static LiveTunables ofAttributes(Config.Mode mode, Map<String, Object> byAttribute) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.live()) {
      Object value = byAttribute.get(setting.jmxAttribute());
      if (value != null) {
        values.put(setting.key(), setting.textOfJmxValue(value));
      }
    }
    return new LiveTunables(mode, values);
  }

  /**
   * Checks {@code pending} (only the keys that differ from the applied values) against these values
   * with the yaml-config rules — the same check the server makes — without sending anything.
   */
  public ConfigOutcome validate(Map<String, String> pending) {
    return switch (Tunables.fromLiveValues(mode, valuesByKey)) {
      case ConfigOutcome.Valid running -> Tunables.validateChange(running.config(), pending);
      case ConfigOutcome.Invalid invalid -> invalid;
    };
  }
}
