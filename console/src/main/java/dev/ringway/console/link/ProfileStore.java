package dev.ringway.console.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Saved connection profiles in {@code ~/.config/ringway/console.yaml} (or under {@code
 * $XDG_CONFIG_HOME}). Passwords are written only when the operator asks for it, and the file is
 * then readable by its owner alone.
 */
public final class ProfileStore {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The file's shape. */
  record File(List<Entry> profiles) {}

  /** One profile as written; the trust store as text so the YAML stays readable. */
  record Entry(
      String name,
      String address,
      String user,
      String password,
      Boolean tls,
      String trustStore,
      String trustStorePassword) {}

  private final Path file;

  public ProfileStore(Path file) {
    this.file = file;
  }

  /** {@code $XDG_CONFIG_HOME/ringway/console.yaml}, by default under {@code ~/.config}. */
  public static Path defaultFile() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".config")
            : Path.of(xdg);
    return base.resolve("ringway").resolve("console.yaml");
  }

  /** The saved profiles; none when the file does not exist yet. */
  public List<Profile> load() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    File read = YAML.readValue(file.toFile(), File.class);
    List<Profile> profiles = new ArrayList<>();
    if (read != null && read.profiles() != null) {
      for (Entry entry : read.profiles()) {
        profiles.add(
            new Profile(
                entry.name(),
                entry.address(),
                entry.user(),
                entry.password(),
                Boolean.TRUE.equals(entry.tls()),
                entry.trustStore() == null ? null : Path.of(entry.trustStore()),
                entry.trustStorePassword()));
      }
    }
    return profiles;
  }

  /**
   * Saves {@code profile}, replacing one of the same name; its passwords only when {@code
   * withPasswords}.
   */
  public void save(Profile profile, boolean withPasswords) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Profile saved : load()) {
      if (!saved.name().equals(profile.name())) {
        entries.add(entry(saved, saved.password() != null || saved.trustStorePassword() != null));
      }
    }
    entries.add(entry(profile, withPasswords));
    Files.createDirectories(file.getParent());
    Path temporary =
        Files.createTempFile(
            file.getParent(),
            "console",
            ".yaml",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    YAML.writeValue(temporary.toFile(), new File(entries));
    Files.move(
        temporary,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static Entry entry(Profile profile, boolean withPasswords) {
    return new Entry(
        profile.name(),
        profile.address(),
        profile.user(),
        withPasswords ? profile.password() : null,
        profile.tls() ? Boolean.TRUE : null,
        profile.trustStore() == null ? null : profile.trustStore().toString(),
        withPasswords ? profile.trustStorePassword() : null);
  }
}
