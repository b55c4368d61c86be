package dev.ringway.core.expresslane;

import dev.ringway.core.wire.ExpresslaneVersion;
import java.time.Duration;
import java.util.Objects;

/**
 * How one side runs Expresslane: whether it takes part, how often it replaces its send key ({@code
 * expresslane.keyRotation}), and the highest wire version it speaks.
 */
public record ExpresslaneSettings(
    boolean enabled, Duration keyRotation, ExpresslaneVersion maxVersion) {
  /** Lightway's default rotation interval. */
  public static final Duration DEFAULT_KEY_ROTATION = Duration.ofMinutes(15);

  public ExpresslaneSettings {
    Objects.requireNonNull(keyRotation);
    Objects.requireNonNull(maxVersion);
    if (keyRotation.isNegative() || keyRotation.isZero()) {
      throw new IllegalArgumentException("expresslane.keyRotation must be positive");
    }
    if (maxVersion == ExpresslaneVersion.UNKNOWN) {
      throw new IllegalArgumentException("the highest Expresslane version is V1 or V2");
    }
  }

  /** Enabled or not, with the default rotation and version 2. */
  public static ExpresslaneSettings of(boolean enabled) {
    return new ExpresslaneSettings(enabled, DEFAULT_KEY_ROTATION, ExpresslaneVersion.V2);
  }
}
