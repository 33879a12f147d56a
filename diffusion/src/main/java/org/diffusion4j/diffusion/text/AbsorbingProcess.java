package org.diffusion4j.diffusion.text;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;

/**
 * The absorbing-state ("masking") forward process in continuous time over tokens 0..V-1 plus a mask id m = V:
 * each token of x is, independently, still itself at time t with probability alpha(t) and the mask otherwise,
 * q(z_t | x) = Cat(alpha_t e_x + (1 - alpha_t) e_m) (D3PM absorbing, Austin et al. 2021; MDLM Eq. 2). Once masked a
 * token stays masked, so for s &lt; t a masked z_t came from the mask at s with probability (1 - alpha_s) / (1 - alpha_t)
 * and from x otherwise (the posterior, MDLM Eq. 3).
 *
 * <p>Randomness is Philox: element i of the draw for (seed, stream) decides token i, so a corruption is a pure
 * function of (x, t, seed, stream).
 */
public final class AbsorbingProcess {
    private final MaskingSchedule schedule;
    private final int maskId;

    /** @param maskId the mask token's id, V, one past the last real token */
    public AbsorbingProcess(MaskingSchedule schedule, int maskId) {
        if (maskId < 1) throw new IllegalArgumentException("AbsorbingProcess: the mask id must be >= 1 (after the real tokens), got " + maskId);
        this.schedule = schedule;
        this.maskId = maskId;
    }

    public MaskingSchedule schedule() { return schedule; }

    public int maskId() { return maskId; }

    /** 1 - alpha(t): the probability that a token is masked at time t. */
    public double maskProbability(double t) {
        if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("AbsorbingProcess: time must be in [0, 1], got " + t);
        return 1 - schedule.alpha(t);
    }

    /**
     * Draws z_t ~ q(z_t | x) for n sequences of length l, sequence i at time times[i].
     *
     * @param x row-major token ids [n, l], each in [0, maskId)
     */
    public int[] corrupt(int[] x, int l, double[] times, long seed, long stream) {
        int n = times.length;
        if (x.length != n * l) throw new IllegalArgumentException("AbsorbingProcess.corrupt: " + x.length
                + " tokens are not " + n + " sequences of length " + l);
        int[] z = new int[x.length];
        for (int i = 0; i < n; i++) {
            double p = maskProbability(times[i]);
            for (int j = 0; j < l; j++) {
                int at = i * l + j;
                if (x[at] < 0 || x[at] >= maskId) throw new IllegalArgumentException("AbsorbingProcess.corrupt: token "
                        + x[at] + " at " + at + " is outside 0.." + (maskId - 1));
                z[at] = Philox.element(RandomKind.UNIFORM, DType.F64, seed, stream, at) < p ? maskId : x[at];
            }
        }
        return z;
    }

    /** The probability that a token masked at time t is revealed by time s &lt; t: (alpha_s - alpha_t) / (1 - alpha_t). */
    public double unmaskProbability(double t, double s) {
        if (!(0 <= s && s < t && t <= 1)) throw new IllegalArgumentException("AbsorbingProcess: need 0 <= s < t <= 1, got s = "
                + s + ", t = " + t);
        return (schedule.alpha(s) - schedule.alpha(t)) / (1 - schedule.alpha(t));
    }
}
