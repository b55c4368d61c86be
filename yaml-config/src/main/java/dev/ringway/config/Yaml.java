package dev.ringway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The YAML document as a tree that remembers where each key and value was written, which Jackson's
 * own tree does not.
 */
final class Yaml {

  private Yaml() {}

  /**
   * Where text came from. {@code order} sorts errors (the file first, then each {@code --set} in
   * the order given); {@code baseDir} resolves relative paths; only a file has lines, and only a
   * file's values are subject to {@code ${ENV}} substitution.
   */
  record Source(String label, Path baseDir, int order, boolean isFile) {}

  /** A place in a source; line and column are 1-based, or 0 for a source without lines. */
  record Position(Source source, int line, int column) {}

  sealed interface Node {
    Position position();
  }

  record Entry(String key, Position keyPosition, Node value) {}

  record Mapping(Position position, List<Entry> entries) implements Node {}

  record Sequence(Position position, List<Node> items) implements Node {}

  record Scalar(Position position, String text) implements Node {}

  /** An explicit {@code null}, {@code ~} or an empty value. */
  record Null(Position position) implements Node {}
}
