package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved profiles: passwords stay out of the file unless asked for. */
class ProfileStoreTest {
  @TempDir Path dir;

  private final Profile lab =
      new Profile("lab", "10.0.0.1:27691", "op", "secret", true, Path.of("/etc/trust.p12"), "pw");

  @Test
  void noFileMeansNoProfiles() throws Exception {
    assertThat(new ProfileStore(dir.resolve("console.yaml")).load()).isEmpty();
  }

  @Test
  void aProfileIsSavedWithoutItsPasswordsByDefault() throws Exception {
    ProfileStore store = new ProfileStore(dir.resolve("ringway/console.yaml"));

    store.save(lab, false);

    assertThat(store.load())
        .containsExactly(
            new Profile(
                "lab", "10.0.0.1:27691", "op", null, true, Path.of("/etc/trust.p12"), null));
    assertThat(Files.readString(dir.resolve("ringway/console.yaml"))).doesNotContain("secret");
  }

  @Test
  void passwordsAreKeptWhenAskedForInAFileOnlyTheOwnerReads() throws Exception {
    Path file = dir.resolve("console.yaml");
    ProfileStore store = new ProfileStore(file);

    store.save(lab, true);

    assertThat(store.load()).containsExactly(lab);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void savingUnderAnExistingNameReplacesIt() throws Exception {
    ProfileStore store = new ProfileStore(dir.resolve("console.yaml"));
    store.save(lab, false);
    store.save(Profile.of("10.0.0.9:27691"), false);

    store.save(new Profile("lab", "10.0.0.2:27691", null, null, false, null, null), false);

    assertThat(store.load())
        .extracting(Profile::name, Profile::address)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.0.0.9:27691", "10.0.0.9:27691"),
            org.assertj.core.groups.Tuple.tuple("lab", "10.0.0.2:27691"));
  }
}
