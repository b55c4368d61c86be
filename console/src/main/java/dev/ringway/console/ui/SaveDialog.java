package dev.ringway.console.ui;

import java.io.File;
import java.nio.file.Path;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Asks where an export goes. The console asks the operator with the platform's save dialog; the UI
 * tests, which have no platform dialogs under Monocle, answer with a file of their own.
 */
interface SaveDialog {
  /**
   * The file to write {@code kind} ({@code pattern}, e.g. {@code *.png}) to, suggesting {@code
   * name}; null when the operator cancels.
   */
  Path choose(Window owner, String kind, String pattern, String name);

  /** The platform's save dialog. */
  static SaveDialog fileChooser() {
    return (owner, kind, pattern, name) -> {
      FileChooser chooser = new FileChooser();
      chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
      chooser.setInitialFileName(name);
      File file = chooser.showSaveDialog(owner);
      return file == null ? null : file.toPath();
    };
  }
}
