package org.diffusion4j.experiments.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's folder, runs/NAME/:
 * <pre>
 * config.json      the fully resolved config (the run is a pure function of it)
 * env.json         commit, JDK, OS, device, seed, versions
 * metrics.jsonl    one line per logged step
 * checkpoints/     step-000001000.safetensors ... (the newest K)
 * samples/         step-1000.png ... (grids from the same fixed noises)
 * report.html      one self-contained page
 * </pre>
 */
public final class RunFolder {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    private RunFolder(Path root) { this.root = root; }

    /** An existing run folder (for sample, nll, resume): it must hold a config.json. */
    public static RunFolder open(Path root) {
        if (!Files.isRegularFile(root.resolve("config.json"))) {
            throw new IllegalArgumentException("'" + root + "' is not a run folder: it has no config.json");
        }
        return new RunFolder(root);
    }

    /**
     * Creates runs/NAME for a fresh run, or reopens it for a resumed one. A fresh run refuses a folder that
     * already holds checkpoints or metrics (it would mix two runs); a resumed run refuses a folder whose
     * config.json differs from the config given (it would not continue the same run).
     */
    public static RunFolder prepare(Path runsRoot, TrainConfig config, boolean resume) {
        Path root = runsRoot.resolve(config.name());
        RunFolder folder = new RunFolder(root);
        String json = ConfigLoader.toJson(config);
        try {
            if (resume && Files.exists(folder.config())) {
                TrainConfig previous = ConfigLoader.load(folder.config(), List.of());
                if (!previous.equals(config)) {
                    throw new IllegalArgumentException("cannot resume " + root + ": its config.json differs from the config "
                            + "given (a resumed run must be the same run); start a new run under another name instead");
                }
            } else if (!resume && (hasFiles(folder.checkpoints()) || Files.exists(folder.metrics()))) {
                throw new IllegalArgumentException("run folder " + root + " already holds a run; pass --resume to continue "
                        + "it, or give another name (--set name=...)");
            }
            Files.createDirectories(folder.checkpoints());
            Files.createDirectories(folder.samples());
            Files.writeString(folder.config(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare run folder " + root + ": " + e.getMessage(), e);
        }
        return folder;
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    public void writeEnvironment(Environment env) {
        try {
            JSON.writeValue(environment().toFile(), env);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + environment() + ": " + e.getMessage(), e);
        }
    }

    /** The config this run was started with. */
    public TrainConfig readConfig() { return ConfigLoader.load(config(), List.of()); }

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
