package io.lambdastack.view.config;

import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --views FILE}: the one view file every job reads (a picocli mixin, so every command spells it alike). */
public final class ViewFileOption {
  @Option(names = "--views", defaultValue = "${env:LAMBDA_VIEWS:-config/views.yaml}", description = "view file (env LAMBDA_VIEWS)")
  Path file;

  public ViewCatalog load() {
    return ViewFile.load(file);
  }

  public Path file() {
    return file;
  }
}
