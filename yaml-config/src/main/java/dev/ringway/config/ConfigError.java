package dev.ringway.config;

/**
 * One problem with a configuration.
 *
 * @param origin where the value came from: the file as named by the user, {@code --set KEY=VALUE},
 *     or empty for a JMX write
 * @param key the dotted key, e.g. {@code io.tun.rxSlots} or {@code jmx.users[0].role}; empty when
 *     the problem is not tied to a key (YAML syntax, tabs)
 * @param line 1-based line in the file, or 0 when there is none
 * @param column 1-based column in the file, or 0 when there is none
 * @param value the offending value as written, or {@code null} when the key is missing
 * @param rule what is wrong and what the rule is, as one sentence
 * @param suggestion a replacement to offer as "did you mean", or {@code null}
 */
public record ConfigError(
    String origin, String key, int line, int column, String value, String rule, String suggestion) {

  /**
   * One line: {@code ringway.yaml:12:5: io.tun.rxSlots: value 0 is out of range — must be between 1
   * and 4096}, with {@code — did you mean `X`?} (or {@code ; did you mean `X`?} after a rule that
   * already explains itself after a dash) appended when there is a suggestion.
   */
  public String render() {
    StringBuilder out = new StringBuilder(origin);
    if (line > 0) {
      out.append(':').append(line).append(':').append(column);
    }
    if (!out.isEmpty()) {
      out.append(": ");
    }
    if (!key.isEmpty()) {
      out.append(key).append(": ");
    }
    out.append(rule);
    if (suggestion != null) {
      out.append(rule.contains(" — ") ? "; did you mean `" : " — did you mean `");
      out.append(suggestion).append("`?");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
