package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.audio.SpokenDigits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code d4j data ...}: datasets made on this machine. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Makes the datasets that are generated on this machine.",
        subcommands = {DataCommand.SpokenDigitsCommand.class, DataScenesCommand.class})
public final class DataCommand implements Runnable {
    @Spec private CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** {@code d4j data spoken-digits}: "zero" to "nine" from espeak-ng (and flite), docs/audio.md. */
    @Command(name = "spoken-digits", mixinStandardHelpOptions = true,
            description = {"Makes the spoken-digits dataset (8 kHz mono, 1 s clips of \"zero\" to \"nine\") with espeak-ng, "
                    + "and flite where installed, into a cache folder with a manifest; a folder already made with the "
                    + "same options is reused. Needs Debian's espeak-ng (flite optional)."})
    public static final class SpokenDigitsCommand implements Callable<Integer> {
        @Spec private CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", description = "Folder to write (default: ~/.cache/diffusion4j/spoken-digits-seed<SEED>).")
        Path out;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the voices, split and variation (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--takes", defaultValue = "2", description = "Clips per voice and digit (default ${DEFAULT-VALUE}).")
        int takes;

        @Option(names = "--voices", defaultValue = "0", description = "Voices per synthesiser, chosen from the seed; 0 = all (default ${DEFAULT-VALUE}).")
        int voices;

        @Option(names = "--test-fraction", defaultValue = "0.2", description = "Share of speakers held out for the test split (default ${DEFAULT-VALUE}).")
        double testFraction;

        @Option(names = "--no-flite", description = "espeak-ng's voices only, even when flite is installed.")
        boolean noFlite;

        @Override public Integer call() throws Exception {
            var s = new SpokenDigits.Spec(seed, takes, voices, testFraction, !noFlite);
            Path folder = out != null ? out : SpokenDigits.defaultFolder(seed);
            long start = System.nanoTime();
            List<SpokenDigits.Entry> entries = SpokenDigits.ensure(folder, s, System.err);
            PrintWriter w = spec.commandLine().getOut();
            long train = entries.stream().filter(e -> e.split().equals("train")).count();
            long speakers = entries.stream().map(SpokenDigits.Entry::speaker).distinct().count();
            w.printf("spoken-digits: %d clips (%d train, %d test) from %d speakers in %s (%.1f s)%n", entries.size(), train,
                    entries.size() - train, speakers, folder.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
            w.flush();
            return 0;
        }
    }
}
