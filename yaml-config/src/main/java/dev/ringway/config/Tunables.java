package dev.ringway.config;

import dev.ringway.config.Yaml.Position;
import dev.ringway.config.Yaml.Source;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a change to a running configuration — a JMX write, a console edit, or the live part of
 * a reload — with the same kinds and rules as loading. A change is all or nothing: either every key
 * is valid and the rules hold for the result, or nothing changes.
 */
public final class Tunables {

  private static final Source WRITE = new Source("", Path.of(""), 0, false);

  private Tunables() {}

  /**
   * Applies {@code changesByYamlKey} (live keys such as {@code io.tun.rxSlots}, values as YAML text
   * such as {@code 128}, {@code 100ms} or {@code 15MiB}) to {@code current}: the new configuration,
   * or every error, each naming the key, the value and the rule.
   */
  public static ConfigOutcome validateChange(Config current, Map<String, String> changesByYamlKey) {
    ErrorList errors = new ErrorList();
    Position at = new Position(WRITE, 0, 0);
    Settings.Values values = Settings.Values.of(current);
    Set<Setting<?>> changed = new HashSet<>();
    for (Map.Entry<String, String> change : changesByYamlKey.entrySet()) {
      String key = change.getKey();
      String text = change.getValue();
      Setting<?> setting = Settings.byKey(key);
      if (setting == null) {
        errors.add(at, key, text, "unknown key — live keys are " + liveKeys(), suggest(key));
      } else if (!setting.isLive()) {
        errors.add(
            at,
            key,
            text,
            "cannot change while running — edit the configuration file and restart",
            null);
      } else if (text == null) {
        errors.add(at, key, null, "no value given — expected " + setting.expected(), null);
      } else {
        try {
          values.put(setting, setting.parse(text, WRITE));
          changed.add(setting);
        } catch (Rejected r) {
          errors.add(at, key, text, r.rule, r.suggestion);
        }
      }
    }
    if (!errors.isEmpty()) {
      return new ConfigOutcome.Invalid(errors.sorted());
    }
    Config updated = Settings.assemble(values);
    for (Rules.Violation v : Rules.check(updated, null, changed::contains, s -> false)) {
      errors.add(at, v.setting().key(), v.value(), v.rule(), v.suggestion());
    }
    return errors.isEmpty()
        ? new ConfigOutcome.Valid(updated)
        : new ConfigOutcome.Invalid(errors.sorted());
  }

  /**
   * A running configuration known only by its mode and live values, as the console sees it over
   * JMX: the defaults with those values applied and checked, the base for {@link #validateChange}
   * where no {@link Config} is at hand.
   */
  public static ConfigOutcome fromLiveValues(
      Config.Mode mode, Map<String, String> liveValuesByYamlKey) {
    Settings.Values values = Settings.Values.of(Config.defaults());
    values.put(Settings.MODE, mode);
    return validateChange(Settings.assemble(values), liveValuesByYamlKey);
  }

  private static String liveKeys() {
    return String.join(", ", Settings.live().stream().map(Setting::key).toList());
  }

  /** A misspelt live key, or a JMX attribute name used where its YAML key belongs. */
  private static String suggest(String key) {
    Setting<?> byAttribute = Settings.byJmxAttribute(key);
    if (byAttribute != null) {
      return byAttribute.key();
    }
    List<String> keys = Settings.live().stream().map(Setting::key).toList();
    return Spelling.closest(key, keys);
  }
}
