package dev.ringway.console.link;

import dev.ringway.config.ConfigError;
import dev.ringway.config.ConfigOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator's pending edits against the server's applied tunables. What would be sent is only the
 * keys whose pending text differs from the applied one, and it is checked with the yaml-config
 * rules — the server's own — before anything goes over the wire.
 *
 * @param applied the server's values when the draft was made
 * @param pending the operator's text per key; a key left alone keeps its applied text
 */
public record TuningDraft(LiveTunables applied, Map<String, String> pending) {

  public TuningDraft {
    pending = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pending));
  }

  /** A draft with nothing changed yet. */
  public static TuningDraft of(LiveTunables applied) {
    return new TuningDraft(applied, applied.valuesByKey());
  }

  /** This draft with {@code key} set to {@code text}. */
  public TuningDraft with(String key, String text) {
    Map<String, String> next = new LinkedHashMap<>(pending);
    next.put(key, text == null ? "" : text.strip());
    return new TuningDraft(applied, next);
  }

  /** The edits that differ from the applied values: exactly what Apply would send. */
  public Map<String, String> changes() {
    Map<String, String> changes = new LinkedHashMap<>();
    pending.forEach((key, text) -> {
      if (!text.equals(applied.valuesByKey().get(key))) {
        changes.put(key, text);
      }
    });
    return changes;
  }

  /** The yaml-config errors of {@link #changes()}; empty when they may be sent. */
  public List<ConfigError> errors() {
    Map<String, String> changes = changes();
    if (changes.isEmpty()) {
      return List.of();
    }
    return switch (applied.validate(changes)) {
      case ConfigOutcome.Valid valid -> List.of();
      case ConfigOutcome.Invalid invalid -> invalid.errors();
    };
  }

  /**
   * The edits that would put back the values {@code change} replaced, as a draft against the
   * current {@code applied} values.
   */
  public static TuningDraft reverting(LiveTunables applied, AppliedChange change) {
    TuningDraft draft = of(applied);
    for (Map.Entry<String, String> before : change.before().entrySet()) {
      draft = draft.with(before.getKey(), before.getValue());
    }
    return draft;
  }

  /**
   * One change the server applied, for the console's history.
   *
   * @param epochMillis when the console got the answer
   * @param before the applied values of the changed keys before
   * @param after the values sent
   * @param answer the server's answer, verbatim
   */
  public record AppliedChange(
      long epochMillis, Map<String, String> before, Map<String, String> after, String answer) {
    public AppliedChange {
      before = Map.copyOf(before);
      after = Map.copyOf(after);
    }
  }
}
