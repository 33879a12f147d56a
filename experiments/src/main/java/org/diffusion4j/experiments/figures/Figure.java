package org.diffusion4j.experiments.figures;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One figure of the course (docs/course/), drawn by the project from the analytic models: {@code d4j figure NAME --out
 * FILE}. With tiny, the same drawing at sizes small enough for a unit test (fewer samples and steps).
 */
public interface Figure {
    String name();

    /** One line: what the figure shows. */
    String description();

    void draw(Path out, boolean tiny) throws IOException;
}
