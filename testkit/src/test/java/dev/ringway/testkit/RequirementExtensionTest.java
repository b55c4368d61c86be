package dev.ringway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class RequirementExtensionTest {

  /** Runs only inside the engine test kit below, never on its own. */
  static class UiFixture {
    @UiTest
    @Test
    void needsUi() {}
  }

  @AfterEach
  void clearOverride() {
    System.clearProperty("ringway.ci");
  }

  @Test
  void untaggedTestsNeedNothing() {
    assertThat(RequirementExtension.missing(Set.of())).isEmpty();
    assertThat(RequirementExtension.missing(Set.of("slow", "whatever"))).isEmpty();
  }

  @Test
  void missingRequirementSkipsOutsideCi() {
    assumeTrue(Requirement.UI.missing().isPresent(), "this JVM has a JavaFX platform");
    System.setProperty("ringway.ci", "false");

    Events tests = run().testEvents();

    assertThat(tests.skipped().count()).isEqualTo(1);
    assertThat(tests.failed().count()).isZero();
  }

  @Test
  void missingRequirementFailsLoudlyUnderCi() {
    assumeTrue(Requirement.UI.missing().isPresent(), "this JVM has a JavaFX platform");
    System.setProperty("ringway.ci", "true");

    Events tests = run().testEvents();

    assertThat(tests.failed().count()).isEqualTo(1);
    assertThat(tests.skipped().count()).isZero();
  }

  @Test
  void reasonNamesTheTagAndTheCure() {
    assumeTrue(Requirement.UI.missing().isPresent(), "this JVM has a JavaFX platform");
    assertThat(RequirementExtension.missing(Set.of("ui")))
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("ui: ").contains("Monocle"));
  }

  private static org.junit.platform.testkit.engine.EngineExecutionResults run() {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.conditions.deactivate", "")
        .selectors(selectClass(UiFixture.class))
        .execute();
  }
}
