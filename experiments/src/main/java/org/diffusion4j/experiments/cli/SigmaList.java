package org.diffusion4j.experiments.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The value of {@code --sigmas}: a comma-separated list, or a file of numbers separated by commas, spaces or lines. */
final class SigmaList {
    private SigmaList() { }

    /** The list as comma-separated text (the registry's form), read from the file when the argument names one. */
    static String read(String argument) {
        String text = argument.trim();
        if (text.isEmpty()) throw new IllegalArgumentException("--sigmas is empty: give a list such as 80,10,1,0.1,0 or a file");
        Path file = Path.of(text);
        if (!text.contains(",") && Files.isRegularFile(file)) {
            try {
                text = Files.readString(file).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --sigmas file " + file + ": " + e.getMessage(), e);
            }
            if (text.isEmpty()) throw new IllegalArgumentException("--sigmas file " + file + " holds no numbers");
        }
        return String.join(",", text.split("[,\\s]+"));
    }
}
