package org.diffusion4j.diffusion.inpaint;

import org.diffusion4j.diffusion.model.CountingDenoiser;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.SeedMixing;
import org.diffusion4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Training-free inpainting with an unconditional model of a discrete chain: the known pixels of x_0 (mask 1) are
 * kept, the unknown ones (mask 0) are sampled.
 *
 * <p><b>Replacement</b> (Song et al. 2021, "Score-based generative modeling through SDEs", Appendix I.2): after every
 * reverse move from x_i to x_to, the known part is replaced by a fresh draw of the forward process,
 * x_to = m (sqrt(ab_to) x_0 + sqrt(1 - ab_to) eps) + (1 - m) reverse(x_i), and by x_0 itself on the last move, so the
 * known pixels of the result equal x_0 exactly.
 *
 * <p><b>RePaint resampling</b> (Lugmayr et al. 2022, Algorithm 1 and Sec. 4.2): the same moves, but at every
 * jumpLength-th position of the timestep list the state is sent back up jumpLength positions by the forward process,
 * x_up ~ q(x_up | x) = N(sqrt(ab_up / ab) x, (1 - ab_up / ab) I), and the stretch is walked down again, resamples - 1
 * extra times per position, so the generated part has time to agree with the known one. resamples = 1 is the
 * replacement method. The positions counted here are those of the sampler's own (respaced) timestep list; position p
 * holds x at timesteps[p], and jumps happen from positions jumpLength, 2 jumpLength, ... below the last one (never
 * from x_0).
 *
 * <p><b>ILVR</b> (Choi et al. 2021, Algorithm 1) is the same walk with another {@link Constraint}: the low-pass part
 * of the state is replaced by that of the noised reference ({@link Constraint#lowPass}), which turns an unconditional
 * image model into a training-free super-resolver; {@link #sample} runs any constraint.
 *
 * <p>Randomness: x_T from Philox under the seed (sample n on stream n, as the samplers draw it); the noise of move k
 * from keys (seed, "reverse" / "known" / "jump", k), so a sample does not depend on its batch.
 */
@SuppressWarnings("try")
public final class Inpainter {
    private final DiscreteSchedule schedule;
    private final int[] timesteps;
    private final ReverseStep reverse;
    private final int jumpLength, resamples;

    private Inpainter(DiscreteSchedule schedule, int[] timesteps, ReverseStep reverse, int jumpLength, int resamples) {
        this.schedule = schedule;
        this.timesteps = timesteps;
        this.reverse = reverse;
        this.jumpLength = jumpLength;
        this.resamples = resamples;
    }

    /** The replacement method over `steps` timesteps of the schedule. */
    public static Inpainter replacement(DiscreteSchedule schedule, int steps, TimestepSpacing spacing, ReverseStep reverse) {
        return repaint(schedule, steps, spacing, reverse, 1, 1);
    }

    /**
     * RePaint with the given jump length (positions of the timestep list) and resample count (times each stretch is
     * walked; 1 = no resampling). Lugmayr et al. use 250 steps, jump length 10, 10 resamples.
     */
    public static Inpainter repaint(DiscreteSchedule schedule, int steps, TimestepSpacing spacing, ReverseStep reverse,
                                    int jumpLength, int resamples) {
        if (schedule == null || spacing == null || reverse == null) throw new IllegalArgumentException("schedule, spacing and reverse step must be given");
        if (jumpLength < 1) throw new IllegalArgumentException("jump length must be >= 1, got " + jumpLength);
        if (resamples < 1) throw new IllegalArgumentException("resample count must be >= 1, got " + resamples);
        int[] ts = spacing.timesteps(schedule.steps(), steps);
        if (resamples > 1 && jumpLength >= ts.length) throw new IllegalArgumentException("jump length " + jumpLength
                + " must be below the number of steps " + ts.length);
        return new Inpainter(schedule, ts, reverse, jumpLength, resamples);
    }

    /** Network evaluations one inpainting takes: one per reverse move. */
    public long networkEvaluations() {
        return schedule(null);
    }

    /**
     * Fills the unknown part of `known`.
     *
     * @param model an unconditional denoiser of the data
     * @param known x_0 [N, ...]; only its pixels where mask = 1 are read
     * @param mask  1 for known, 0 for unknown, of known's shape or broadcastable to it ([1, ...] for one mask for all)
     * @param seed  the seed of all noise
     */
    public SampleResult inpaint(Denoiser model, Tensor known, Tensor mask, long seed) {
        return inpaint(model, known, mask, seed, 0);
    }

    /**
     * As {@link #inpaint(Denoiser, Tensor, Tensor, long)} with sample n of this batch on Philox stream firstStream + n,
     * so that a large set done in batches gets the same results as in one batch.
     */
    public SampleResult inpaint(Denoiser model, Tensor known, Tensor mask, long seed, long firstStream) {
        checkMask(known, mask);
        return sample(model, known, Constraint.mask(mask), seed, firstStream);
    }

    /**
     * The walk with any constraint (inpainting's mask, ILVR's low-pass filter): x_T = constraint(q_T(y), z), then after
     * every reverse move x = constraint(q_to(y), reverse(x)), with y itself on the last move.
     *
     * @param known the reference y [N, ...]
     */
    public SampleResult sample(Denoiser model, Tensor known, Constraint constraint, long seed, long firstStream) {
        constraint.check(known);
        CountingDenoiser counted = new CountingDenoiser(model);
        int[] shape = known.shape();
        Tensor z = Tensor.randn(known.backend(), known.dtype(), seed, firstStream, shape);
        Tensor x = constraint.impose(noised(known, timesteps[0], SeedMixing.key(seed, "known", -1), firstStream), z);
        int[] jumpsLeft = jumpsLeft();
        long move = 0;
        int p = 0;
        while (p < timesteps.length) {
            int i = timesteps[p], to = p + 1 < timesteps.length ? timesteps[p + 1] : -1;
            long k = move++;
            Tensor xi = x;
            x = replace(x, z, () -> {
                Tensor noise = reverse.usesNoise(to) ? Tensor.randn(known.backend(), known.dtype(), SeedMixing.key(seed, "reverse", k), firstStream, shape) : null;
                Tensor unknownPart = reverse.step(counted, xi, i, to, noise);
                Tensor knownPart = to < 0 ? known : noised(known, to, SeedMixing.key(seed, "known", k), firstStream);
                return constraint.impose(knownPart, unknownPart);
            });
            p++;
            if (p < timesteps.length && jumpsLeft[p] > 0) {
                jumpsLeft[p]--;
                int up = p - jumpLength;
                double ratio = schedule.alphaBar(timesteps[up]) / schedule.alphaBar(timesteps[p]);
                Tensor xp = x;
                x = replace(x, z, () -> Tensor.linearCombination(Math.sqrt(ratio), xp, Math.sqrt(1 - ratio),
                        Tensor.randn(known.backend(), known.dtype(), SeedMixing.key(seed, "jump", k), firstStream, shape), 0, null));
                p = up;
            }
        }
        return new SampleResult(x, counted.evaluations());
    }

    /** For each position, how many times the walk jumps back from it. */
    private int[] jumpsLeft() {
        int[] left = new int[timesteps.length];
        if (resamples > 1) for (int p = jumpLength; p < timesteps.length; p += jumpLength) left[p] = resamples - 1;
        return left;
    }

    /** Counts the reverse moves of the walk; the visited positions go to `visits` when it is not null. */
    long schedule(java.util.List<Integer> visits) {
        int[] left = jumpsLeft();
        long moves = 0;
        int p = 0;
        if (visits != null) visits.add(p);
        while (p < timesteps.length) {
            moves++;
            p++;
            if (visits != null) visits.add(p);
            if (p < timesteps.length && left[p] > 0) {
                left[p]--;
                p -= jumpLength;
                if (visits != null) visits.add(p);
            }
        }
        return moves;
    }

    /** The timestep indices, in sampling order. */
    public int[] timesteps() { return timesteps.clone(); }

    /** sqrt(ab_i) x_0 + sqrt(1 - ab_i) eps, eps from the key (sample n on stream firstStream + n). */
    private Tensor noised(Tensor x0, int i, long key, long firstStream) {
        double ab = schedule.alphaBar(i);
        Tensor eps = Tensor.randn(x0.backend(), x0.dtype(), key, firstStream, x0.shape());
        return Tensor.linearCombination(Math.sqrt(ab), x0, Math.sqrt(1 - ab), eps, 0, null);
    }

    static void checkMask(Tensor known, Tensor mask) {
        if (known == null || mask == null) throw new IllegalArgumentException("inpainting needs the known image and a mask");
        int[] ks = known.shape(), ms = mask.shape();
        boolean fits = ms.length == ks.length && (ms[0] == 1 || ms[0] == ks[0]);
        for (int d = 1; fits && d < ks.length; d++) fits = ms[d] == ks[d];
        if (!fits) throw new IllegalArgumentException("mask has shape " + Arrays.toString(ms) + ", expected "
                + Arrays.toString(ks) + " or [1" + Arrays.toString(Arrays.copyOfRange(ks, 1, ks.length)).replace("[", ", "));
        if (mask.dtype() != known.dtype() || mask.backend() != known.backend()) throw new IllegalArgumentException("mask is "
                + mask.dtype() + " on " + mask.device() + " but the images are " + known.dtype() + " on " + known.device());
        for (double v : mask.contiguous().toDoubleArray()) {
            if (v != 0 && v != 1) throw new IllegalArgumentException("mask entries must be 0 (unknown) or 1 (known), got " + v);
        }
    }

    private static Tensor withScope(java.util.function.Supplier<Tensor> body) {
        try (Scope s = Scope.open()) {
            return s.keep(body.get());
        }
    }

    /** Computes the next state in its own scope and frees the old one unless it is the protected tensor. */
    private static Tensor replace(Tensor old, Tensor keep, java.util.function.Supplier<Tensor> body) {
        Tensor next = withScope(body);
        if (old != keep && old.storage() != next.storage()) old.storage().close();
        return next;
    }
}
