package org.diffusion4j.experiments.data;

import java.io.IOException;
import java.nio.file.Path;

/** A malformed IDX file: names the file and what is wrong with it. */
public final class IdxFormatException extends IOException {
    public IdxFormatException(Path file, String fault) { super(file + ": " + fault); }
}
