package dev.ringway.console.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.console.link.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which servers {@code ./ringway console --fleet} and {@code console A B} watch. */
class ConsoleAppTest {
  private static final Profile SAVED_A =
      new Profile("lab-a", "10.0.0.1:27691", "op", "pw", false, null, null);
  private static final Profile SAVED_B =
      new Profile("lab-b", "10.0.0.2:27691", "mon", null, false, null, null);

  @Test
  void fleetTakesEverySavedProfile() {
    assertThat(ConsoleApp.fleetProfiles(List.of("--fleet"), List.of(SAVED_A, SAVED_B)))
        .containsExactly(SAVED_A, SAVED_B);
  }

  @Test
  void anAddressGivenUsesTheSavedLoginForIt() {
    assertThat(
            ConsoleApp.fleetProfiles(
                List.of("10.0.0.9:27691", "10.0.0.2:27691"), List.of(SAVED_A, SAVED_B)))
        .containsExactly(Profile.of("10.0.0.9:27691"), SAVED_B);
  }

  @Test
  void fleetAndAddressesTogetherListEachServerOnce() {
    assertThat(
            ConsoleApp.fleetProfiles(
                List.of("--fleet", "10.0.0.1:27691", "10.0.0.3:27691"), List.of(SAVED_A)))
        .containsExactly(SAVED_A, Profile.of("10.0.0.3:27691"));
  }

  @Test
  void fleetWithNothingSavedSaysWhere() {
    assertThatThrownBy(() -> ConsoleApp.fleetProfiles(List.of("--fleet"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no saved profiles in")
        .hasMessageContaining("console.yaml");
  }
}
