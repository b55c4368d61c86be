package dev.ringway.core.tls;

import java.nio.file.Path;

/** A PEM file that could not be read or does not hold what was asked for; names the file. */
public final class PemException extends Exception {
  private final Path file;

  PemException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  PemException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file that could not be used. */
  public Path file() {
    return file;
  }
}
