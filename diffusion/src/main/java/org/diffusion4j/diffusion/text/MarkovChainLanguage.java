package org.diffusion4j.diffusion.text;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * A tiny synthetic language with a known distribution: a first-order Markov chain over V tokens with initial
 * distribution pi and transition matrix P. Its exact denoiser gives p(x_i | the unmasked tokens of z) for every
 * position by the forward-backward recursions with the unmasked positions clamped (an HMM whose emissions are
 * "the token or the mask"), so the MDLM bound of the true model can be compared with the chain's entropy.
 */
public final class MarkovChainLanguage {
    private final double[] initial;
    private final double[][] transition;
    private final int v;

    public MarkovChainLanguage(double[] initial, double[][] transition) {
        this.v = initial.length;
        if (transition.length != v) throw new IllegalArgumentException("MarkovChainLanguage: " + v + " initial probabilities but "
                + transition.length + " transition rows");
        checkDistribution("initial", initial);
        for (int i = 0; i < v; i++) {
            if (transition[i].length != v) throw new IllegalArgumentException("MarkovChainLanguage: transition row " + i
                    + " has " + transition[i].length + " entries, expected " + v);
            checkDistribution("transition row " + i, transition[i]);
        }
        this.initial = initial.clone();
        this.transition = new double[v][];
        for (int i = 0; i < v; i++) this.transition[i] = transition[i].clone();
    }

    private static void checkDistribution(String what, double[] p) {
        double s = 0;
        for (double x : p) {
            if (!(x >= 0)) throw new IllegalArgumentException("MarkovChainLanguage: " + what + " has a negative or NaN entry " + x);
            s += x;
        }
        if (Math.abs(s - 1) > 1e-12) throw new IllegalArgumentException("MarkovChainLanguage: " + what + " sums to " + s + ", not 1");
    }

    public int vocabulary() { return v; }

    /** n sequences of length l, row-major, by inverse-CDF draws from Philox (seed, stream 0). */
    public int[] sample(int n, int l, long seed) {
        int[] x = new int[n * l];
        for (int i = 0; i < n; i++) for (int j = 0; j < l; j++) {
            double u = Philox.element(RandomKind.UNIFORM, DType.F64, seed, 0, (long) i * l + j);
            double[] p = j == 0 ? initial : transition[x[i * l + j - 1]];
            int c = 0;
            double acc = p[0];
            while (c < v - 1 && u >= acc) acc += p[++c];
            x[i * l + j] = c;
        }
        return x;
    }

    /** log p(x) in nats for the sequence x[from .. from + l). */
    public double logProb(int[] x, int from, int l) {
        double s = Math.log(initial[x[from]]);
        for (int j = 1; j < l; j++) s += Math.log(transition[x[from + j - 1]][x[from + j]]);
        return s;
    }

    /** The exact entropy of a sequence of length l, H(X_1..X_l) = H(X_1) + sum_k E H(P[X_{k-1}]), in bits. */
    public double sequenceEntropyBits(int l) {
        double[] marginal = initial.clone();
        double h = entropyBits(initial);
        for (int k = 1; k < l; k++) {
            double[] next = new double[v];
            for (int a = 0; a < v; a++) {
                h += marginal[a] * entropyBits(transition[a]);
                for (int b = 0; b < v; b++) next[b] += marginal[a] * transition[a][b];
            }
            marginal = next;
        }
        return h;
    }

    /** The entropy rate sum_a pi*_a H(P[a]) in bits, pi* the stationary distribution (power iteration). */
    public double entropyRateBits() {
        double[] p = new double[v];
        java.util.Arrays.fill(p, 1.0 / v);
        for (int it = 0; it < 10_000; it++) {
            double[] next = new double[v];
            for (int a = 0; a < v; a++) for (int b = 0; b < v; b++) next[b] += p[a] * transition[a][b];
            p = next;
        }
        double h = 0;
        for (int a = 0; a < v; a++) h += p[a] * entropyBits(transition[a]);
        return h;
    }

    private static double entropyBits(double[] p) {
        double h = 0;
        for (double x : p) if (x > 0) h -= x * Math.log(x) / Math.log(2);
        return h;
    }

    /** The exact denoiser: log p(x_i | unmasked tokens of z) for every position, on the given backend in F64. */
    public TokenDenoiser denoiser(Backend backend) {
        return (z, n, l) -> {
            double[] out = new double[n * l * v];
            for (int i = 0; i < n; i++) posterior(z, i * l, l, out, i * l * v);
            for (int k = 0; k < out.length; k++) out[k] = out[k] > 0 ? Math.log(out[k]) : -1e4;
            return Variable.constant(Tensor.of(backend, DType.F64, out, n, l, v));
        };
    }

    /**
     * The exact conditionals as a causal network over input shifted behind a start token V (see
     * {@link AutoregressiveObjective}): position i's output is log P[in_i], or log pi where in_i is the start token.
     */
    public TokenDenoiser autoregressiveNetwork(Backend backend) {
        return (in, n, l) -> {
            double[] out = new double[n * l * v];
            for (int i = 0; i < n * l; i++) {
                double[] p = in[i] == v ? initial : transition[in[i]];
                for (int c = 0; c < v; c++) out[i * v + c] = p[c] > 0 ? Math.log(p[c]) : -1e4;
            }
            return Variable.constant(Tensor.of(backend, DType.F64, out, n, l, v));
        };
    }

    /**
     * Forward-backward: f_j(a) = p(observed z_1..z_j, x_j = a), b_j(a) = p(observed z_{j+1}..z_l | x_j = a);
     * p(x_j = a | observed) = f_j(a) b_j(a) / sum. Each row is normalised per position to avoid underflow.
     */
    private void posterior(int[] z, int from, int l, double[] out, int at) {
        double[][] f = new double[l][v], b = new double[l][v];
        for (int j = 0; j < l; j++) {
            for (int a = 0; a < v; a++) {
                double prior;
                if (j == 0) prior = initial[a];
                else { prior = 0; for (int c = 0; c < v; c++) prior += f[j - 1][c] * transition[c][a]; }
                f[j][a] = observed(z[from + j], a) ? prior : 0;
            }
            normalise(f[j]);
        }
        java.util.Arrays.fill(b[l - 1], 1.0);
        for (int j = l - 2; j >= 0; j--) {
            for (int a = 0; a < v; a++) {
                double s = 0;
                for (int c = 0; c < v; c++) if (observed(z[from + j + 1], c)) s += transition[a][c] * b[j + 1][c];
                b[j][a] = s;
            }
            normalise(b[j]);
        }
        for (int j = 0; j < l; j++) {
            double[] p = new double[v];
            for (int a = 0; a < v; a++) p[a] = f[j][a] * b[j][a];
            normalise(p);
            System.arraycopy(p, 0, out, at + j * v, v);
        }
    }

    /** True when token a is compatible with z's entry: z is the mask (any id >= V) or a itself. */
    private boolean observed(int zi, int a) { return zi >= v || zi == a; }

    private static void normalise(double[] p) {
        double s = 0;
        for (double x : p) s += x;
        if (!(s > 0)) throw new IllegalStateException("MarkovChainLanguage: the observed tokens have probability 0 under the chain");
        for (int i = 0; i < p.length; i++) p[i] /= s;
    }
}
