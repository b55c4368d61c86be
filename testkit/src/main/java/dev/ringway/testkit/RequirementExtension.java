package dev.ringway.testkit;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks the requirements named by a test's tags. Outside CI a test whose requirement is missing is
 * skipped and the reason printed; under {@code CI=true} it runs and fails with the reason, so a CI
 * machine that lost a capability is never green by skipping.
 */
public final class RequirementExtension
    implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {

  /**
   * True when the {@code CI} environment variable is {@code true}, as on the CI machine. The system
   * property {@code ringway.ci} overrides it (the testkit's own tests use that).
   */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getProperty("ringway.ci", System.getenv("CI")));
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> missing = missing(context.getTags());
    if (missing.isEmpty() || underCi()) {
      return ConditionEvaluationResult.enabled("requirements met or CI=true");
    }
    String reason = "skipped " + context.getDisplayName() + ": " + missing.get();
    System.err.println("[ringway-testkit] " + reason);
    return ConditionEvaluationResult.disabled(reason);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    failIfMissing(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    failIfMissing(context);
  }

  private static void failIfMissing(ExtensionContext context) {
    Optional<String> missing = missing(context.getTags());
    if (missing.isPresent()) {
      throw new AssertionError("CI=true and this test's requirement is missing: " + missing.get());
    }
  }

  static Optional<String> missing(Set<String> tags) {
    Set<Requirement> needed = EnumSet.noneOf(Requirement.class);
    for (Requirement requirement : Requirement.values()) {
      if (tags.contains(requirement.tag())) {
        needed.add(requirement);
      }
    }
    StringBuilder reasons = new StringBuilder();
    for (Requirement requirement : needed) {
      requirement
          .missing()
          .ifPresent(reason -> {
            if (!reasons.isEmpty()) {
              reasons.append("; ");
            }
            reasons.append(requirement.tag()).append(": ").append(reason);
          });
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(reasons.toString());
  }
}
