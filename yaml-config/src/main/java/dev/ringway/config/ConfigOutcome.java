package dev.ringway.config;

import java.util.List;

/** The result of loading or changing a configuration: a valid one, or every error found. */
public sealed interface ConfigOutcome {

  /** A configuration that passed every rule. */
  record Valid(Config config) implements ConfigOutcome {}

  /** At least one error, sorted by where it was found; nothing was changed. */
  record Invalid(List<ConfigError> errors) implements ConfigOutcome {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }
}
