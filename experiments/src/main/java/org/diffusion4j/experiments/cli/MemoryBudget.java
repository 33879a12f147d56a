package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.config.ModelConfig;
import org.diffusion4j.experiments.config.TrainConfig;

import java.util.List;
import java.util.Locale;

/**
 * Checks the sizes a command was given (batch, timesteps, sample counts, network widths) against the memory
 * they need, before anything is allocated, so that {@code training.batchSize: 2147483647} or {@code --n 1e9}
 * ends with one line giving the estimate instead of an OutOfMemoryError.
 *
 * <p>The estimates are lower bounds: they count only what is surely allocated on the Java heap (a tensor of the
 * whole batch or sample set, the noise schedule's tables, the parameters with their gradients, Adam moments
 * and EMA), never the network's activations, so a size this refuses cannot work, and a size it accepts may
 * still need more. Any single array beyond 2^31 - 1 elements is refused too: Java arrays cannot hold it.
 */
final class MemoryBudget {
    /** Tensors of the batch's size that a training step surely holds: data, noise, noised input, target, output, gradient. */
    static final int TRAINING_BATCH_TENSORS = 6;
    /** Tensors of the sample set's size that sampling surely holds: the state, the noise, the denoised estimate, a double copy out. */
    static final int SAMPLING_TENSORS = 4;
    /** Doubles per timestep in the discrete chain's tables (betas, alphas, their products and square roots, posterior terms). */
    static final int SCHEDULE_DOUBLES_PER_STEP = 10;
    /** Copies of every parameter during training: weights, gradients, two Adam moments, the EMA. */
    static final int PARAMETER_COPIES = 5;

    /** A size that cannot fit: exit code 3 ({@link FailureReporter#TOO_LARGE}). */
    static final class TooLargeException extends IllegalArgumentException {
        TooLargeException(String message) { super(message); }
    }

    private final long heapBytes;

    /** A budget of the given heap (tests); {@link #ofThisJvm()} for the real one. */
    MemoryBudget(long heapBytes) { this.heapBytes = heapBytes; }

    static MemoryBudget ofThisJvm() { return new MemoryBudget(Runtime.getRuntime().maxMemory()); }

    /** Throws when input (e.g. "--n 1000000000") needs more than the heap or an array longer than Java allows. */
    void require(String input, double elements, double bytesPerElement, String what) {
        if (elements > Integer.MAX_VALUE) {
            throw new TooLargeException(input + ": " + String.format(Locale.ROOT, "%.4g", elements) + " values in one array ("
                    + what + "), more than the 2147483647 a Java array can hold");
        }
        double bytes = elements * bytesPerElement;
        if (bytes > heapBytes) {
            throw new TooLargeException(input + ": needs at least " + human(bytes) + " (" + what + "), more than the "
                    + human(heapBytes) + " Java heap; ask for less, or give Java more with D4J_JAVA_OPTS=-Xmx<size>");
        }
    }

    /** The sizes of a training run: the batch, the grid samples, the schedule and the parameters. */
    void checkTraining(TrainConfig c, int sampleElements) {
        int bytes = c.dtype().equals("f64") ? 8 : 4;
        long batch = c.training().batchSize();
        require("training.batchSize " + batch, (double) batch * sampleElements, bytes * TRAINING_BATCH_TENSORS,
                TRAINING_BATCH_TENSORS + " tensors of " + batch + " x " + sampleElements + " values of " + bytes + " bytes");
        long count = c.sampling().count();
        require("sampling.count " + count, (double) count * sampleElements, bytes * SAMPLING_TENSORS,
                SAMPLING_TENSORS + " tensors of " + count + " x " + sampleElements + " values of " + bytes + " bytes");
        long steps = c.diffusion().timesteps();
        require("diffusion.timesteps " + steps, steps, 8.0 * SCHEDULE_DOUBLES_PER_STEP,
                "the noise schedule's tables, " + SCHEDULE_DOUBLES_PER_STEP + " doubles per timestep");
        double parameters = parameters(c.model(), sampleElements);
        require(widthsOf(c.model()), parameters, (double) bytes * PARAMETER_COPIES, "at least "
                + String.format(Locale.ROOT, "%.3g", parameters) + " parameters, each held " + PARAMETER_COPIES
                + " times (weights, gradients, Adam moments, EMA)");
    }

    /** Sampling n samples of sampleElements values each. */
    void checkSampling(String input, long n, long sampleElements, int bytes) {
        require(input, (double) n * sampleElements, (double) bytes * SAMPLING_TENSORS,
                SAMPLING_TENSORS + " tensors of " + n + " x " + sampleElements + " values of " + bytes + " bytes");
    }

    /**
     * A lower bound on the network's parameter count, from its widths. The MLP: its input layer, depth - 1
     * hidden layers of hidden^2 weights and its output layer. The UNet: only the second 3x3 convolution of each
     * ResBlock, 9 (channels m_l)^2 weights at level l, for the r ResBlocks of the down path and the r + 1 of the
     * up path; UNet-S (6,469,889 parameters) gets 1,658,880. A text-unet counts as its UNet (its text encoder and
     * cross-attention only add to the bound).
     */
    static double parameters(ModelConfig m, int sampleElements) {
        if (!m.type().equals("unet-s") && !m.textConditional()) {   // the MLP, and the baselines' MLPs
            double h = m.hidden();
            return (m.depth() - 1) * h * h + (sampleElements + m.embedding()) * h + h * sampleElements;
        }
        double perLevel = 0;
        for (int k : m.multipliers()) perLevel += 9.0 * ((double) m.channels() * k) * ((double) m.channels() * k);
        return (2.0 * m.resBlocks() + 1) * perLevel;
    }

    private static String widthsOf(ModelConfig m) {
        return m.type().equals("mlp") ? "model.hidden " + m.hidden() + ", model.depth " + m.depth()
                : "model.channels " + m.channels() + ", model.multipliers " + m.multipliers() + ", model.resBlocks " + m.resBlocks();
    }

    /** Bytes in binary units, e.g. "7.8 GiB". */
    static String human(double bytes) {
        List<String> units = List.of("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB");
        int u = 0;
        while (bytes >= 1024 && u < units.size() - 1) { bytes /= 1024; u++; }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units.get(u));
    }
}
