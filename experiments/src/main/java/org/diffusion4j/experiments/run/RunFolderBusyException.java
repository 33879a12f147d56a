package org.diffusion4j.experiments.run;

import java.nio.file.Path;

/**
 * Another process writes this run folder (it holds the folder's {@link RunLock}). An IllegalStateException, so
 * that the command line reports it as one line, an expected failure.
 */
public final class RunFolderBusyException extends IllegalStateException {
    private final Path root;

    RunFolderBusyException(Path root, String owner) {
        super("run folder " + root + " is in use by " + owner + "; wait for it to finish (or stop it), "
                + "or train into another folder (--set name=...)");
        this.root = root;
    }

    public Path root() { return root; }
}
