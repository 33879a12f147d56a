package org.diffusion4j.experiments.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run's folder, runs/NAME/:
 * <pre>
 * config.json      the fully resolved config (the run is a pure function of it)
 * env.json         commit, JDK, OS, device, seed, versions
 * metrics.jsonl    one line per logged step
 * checkpoints/     step-000001000.safetensors ... (the newest K)
 * samples/         step-1000.png ... (grids from the same fixed noises)
 * report.html      one self-contained page
 * run.lock         the writer's lock: pid and host of the process that trains into the folder ({@link RunLock})
 * </pre>
 * A folder opened for writing ({@link #prepare}) holds the run lock until {@link #close}; every whole file it
 * writes goes through {@link AtomicFiles} (temporary file, then rename), and orphan temporary files of a
 * killed earlier writer are removed when it is prepared. A folder opened for reading ({@link #open}) takes no lock.
 */
public final class RunFolder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final RunLock lock;

    private RunFolder(Path root, RunLock lock) {
        this.root = root;
        this.lock = lock;
    }

    /** An existing run folder (for sample, nll, eval): it must hold a config.json. Takes no lock. */
    public static RunFolder open(Path root) {
        if (!Files.isRegularFile(root.resolve("config.json"))) {
            throw new IllegalArgumentException("'" + root + "' is not a run folder: it has no config.json");
        }
        return new RunFolder(root, null);
    }

    /** As {@link #prepare(Path, TrainConfig, boolean, Consumer)}, with notices on stderr. */
    public static RunFolder prepare(Path runsRoot, TrainConfig config, boolean resume) {
        return prepare(runsRoot, config, resume, System.err::println);
    }

    /**
     * Creates runs/NAME for a fresh run, or reopens it for a resumed one, and takes its lock (a folder another
     * process writes is refused with {@link RunFolderBusyException} naming that process). A fresh run refuses a
     * folder that already holds checkpoints or metrics (it would mix two runs); a resumed run refuses a folder whose
     * config.json differs from the config given (it would not continue the same run).
     *
     * @param notices told of a stale lock taken over and of orphan temporary files removed
     */
    public static RunFolder prepare(Path runsRoot, TrainConfig config, boolean resume, Consumer<String> notices) {
        return prepare(runsRoot, config, resume, false, notices);
    }

    /**
     * A fresh run in runs/NAME that first deletes what an earlier run left there (the demo's own folder), under
     * the lock, so that a demo still running in that folder is refused rather than emptied.
     */
    public static RunFolder prepareReplacing(Path runsRoot, TrainConfig config, Consumer<String> notices) {
        return prepare(runsRoot, config, false, true, notices);
    }

    private static RunFolder prepare(Path runsRoot, TrainConfig config, boolean resume, boolean replace, Consumer<String> notices) {
        Path root = runsRoot.resolve(config.name());
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + root + ": " + e.getMessage(), e);
        }
        RunLock lock = RunLock.acquire(root, notices);
        RunFolder folder = new RunFolder(root, lock);
        try {
            folder.prepareLocked(config, resume, replace, notices);
            return folder;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private void prepareLocked(TrainConfig config, boolean resume, boolean replace, Consumer<String> notices) {
        String json = ConfigLoader.toJson(config);
        try {
            if (replace && Files.isRegularFile(config())) deleteAllButTheLock();   // only a folder that holds a run
            for (Path dir : List.of(root, checkpoints(), samples())) {
                for (Path orphan : AtomicFiles.removeOrphans(dir)) {
                    notices.accept("removed " + orphan + ", a temporary file an interrupted earlier run left");
                }
            }
            boolean sameConfigOnDisk = false;
            if (resume && Files.exists(config())) {
                TrainConfig previous = ConfigLoader.load(config(), List.of());
                if (!previous.equals(config)) {
                    throw new IllegalArgumentException("cannot resume " + root + ": its config.json differs from the config "
                            + "given (a resumed run must be the same run); start a new run under another name instead");
                }
                sameConfigOnDisk = true;
            } else if (!resume && (hasFiles(checkpoints()) || Files.exists(metrics()))) {
                throw new IllegalArgumentException("run folder " + root + " already holds a run; pass --resume to continue "
                        + "it, or give another name (--set name=...)");
            }
            Files.createDirectories(checkpoints());
            Files.createDirectories(samples());
            if (!sameConfigOnDisk || !Files.readString(config()).equals(json)) AtomicFiles.writeString(config(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare run folder " + root + ": " + e.getMessage(), e);
        }
    }

    /** Empties the folder of an earlier run, keeping the lock file this process holds. */
    private void deleteAllButTheLock() throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (p.equals(root) || p.equals(lock.file())) continue;
                Files.delete(p);
            }
        }
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    public void writeEnvironment(Environment env) {
        try {
            AtomicFiles.write(environment(), JSON.writeValueAsBytes(env));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + environment() + ": " + e.getMessage(), e);
        }
    }

    /** The config this run was started with. */
    public TrainConfig readConfig() { return ConfigLoader.load(config(), List.of()); }

    /** True while this folder holds its run lock (opened by {@link #prepare}, not yet closed). */
    public boolean isLocked() { return lock != null; }

    /** Releases the run lock (nothing for a folder opened for reading). */
    @Override public void close() {
        if (lock != null) lock.close();
    }

    public Path root() { return root; }
    public Path config() { return root.resolve("config.json"); }
    public Path environment() { return root.resolve("env.json"); }
    public Path metrics() { return root.resolve("metrics.jsonl"); }
    public Path checkpoints() { return root.resolve("checkpoints"); }
    public Path samples() { return root.resolve("samples"); }
    public Path report() { return root.resolve("report.html"); }

    /** samples/step-N.png */
    public Path sampleGrid(long step) { return samples().resolve("step-" + step + ".png"); }
}
