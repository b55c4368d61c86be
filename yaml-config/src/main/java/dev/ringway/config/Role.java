package dev.ringway.config;

/** Which program a configuration is for; decides the required keys and which files must exist. */
public enum Role {
  SERVER,
  CLIENT;

  /** Lower-case name as used in messages and the annotated defaults. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
