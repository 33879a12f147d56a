package org.diffusion4j.diffusion.model;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * A Gaussian mixture p_0 = sum_k w_k N(m_k, S_k) in D dimensions whose noised marginals are known in closed form:
 * x_t = alpha x_0 + s eps is again a mixture, sum_k w_k N(alpha m_k, alpha^2 S_k + s^2 I) (a linear map of a
 * Gaussian plus independent Gaussian noise). So the exact score, denoiser and density exist at every noise level,
 * which makes samplers and likelihoods testable against the truth. A single Gaussian is the case K = 1.
 *
 * <p>The score of the mixture (for one component, -C^{-1}(x - mu)) is
 * grad log p(x) = -sum_k r_k(x) C_k^{-1} (x - mu_k), with responsibilities r_k = softmax_k(log w_k + log N(x; mu_k, C_k)).
 */
@SuppressWarnings("try") // Scope and NoGrad blocks act by being open, their variables are unused
public final class GaussianMixture implements Denoiser {
    private final String name;
    private final double[] weights;
    private final double[][] means;
    private final SymmetricMatrix[] covariances;
    private final int dim;

    public GaussianMixture(String name, double[] weights, double[][] means, double[][][] covariances) {
        int k = weights.length;
        if (k < 1) throw new IllegalArgumentException("a mixture needs at least one component, got 0 weights");
        if (means.length != k || covariances.length != k) throw new IllegalArgumentException("mixture has " + k
                + " weights but " + means.length + " means and " + covariances.length + " covariances");
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (!(weights[i] > 0)) throw new IllegalArgumentException("weight " + i + " is " + weights[i] + ", expected > 0");
            total += weights[i];
        }
        if (Math.abs(total - 1) > 1e-9) throw new IllegalArgumentException("weights sum to " + total + ", expected 1");
        this.dim = means[0].length;
        if (dim < 1) throw new IllegalArgumentException("dimension must be >= 1, got " + dim);
        this.name = name;
        this.weights = weights.clone();
        this.means = new double[k][];
        this.covariances = new SymmetricMatrix[k];
        for (int i = 0; i < k; i++) {
            if (means[i].length != dim) throw new IllegalArgumentException("mean " + i + " has dimension " + means[i].length
                    + ", expected " + dim);
            if (covariances[i].length != dim) throw new IllegalArgumentException("covariance " + i + " is " + covariances[i].length
                    + "x" + covariances[i].length + ", expected " + dim + "x" + dim);
            this.means[i] = means[i].clone();
            this.covariances[i] = new SymmetricMatrix(covariances[i]);
        }
    }

    /** A single Gaussian N(mean, covariance). */
    public static GaussianMixture gaussian(String name, double[] mean, double[][] covariance) {
        return new GaussianMixture(name, new double[]{1.0}, new double[][]{mean}, new double[][][]{covariance});
    }

    public String name() { return name; }

    public int dimension() { return dim; }

    public int components() { return weights.length; }

    public double weight(int k) { return weights[k]; }

    public double[] mean(int k) { return means[k].clone(); }

    public double[][] covariance(int k) { return covariances[k].toArray(); }

    /** The mixture's overall mean sum_k w_k m_k. */
    public double[] overallMean() {
        double[] mu = new double[dim];
        for (int k = 0; k < weights.length; k++) for (int i = 0; i < dim; i++) mu[i] += weights[k] * means[k][i];
        return mu;
    }

    /** The mixture's overall covariance sum_k w_k (S_k + m_k m_k^T) - mu mu^T. */
    public double[][] overallCovariance() {
        double[] mu = overallMean();
        double[][] c = new double[dim][dim];
        for (int k = 0; k < weights.length; k++) for (int i = 0; i < dim; i++) for (int j = 0; j < dim; j++) {
            c[i][j] += weights[k] * (covariances[k].get(i, j) + means[k][i] * means[k][j]);
        }
        for (int i = 0; i < dim; i++) for (int j = 0; j < dim; j++) c[i][j] -= mu[i] * mu[j];
        return c;
    }

    // ----------------------------------------------------------------------------- exact quantities

    /** D(x; sigma) = x + sigma^2 grad log p(x; sigma) (Karras et al. 2022, eq. 3), exactly; sigma = 0 gives x. */
    @Override public Variable denoise(Variable x, double sigma) {
        if (!(sigma >= 0)) throw new IllegalArgumentException("noise level sigma must be >= 0, got " + sigma);
        if (sigma == 0) return x;
        return x.add(mixtureScore(x, 1.0, sigma).mul(sigma * sigma));
    }

    /** At zero signal E[x_0 | x_t] is the mixture's mean, whatever x_t. */
    @Override public Tensor denoiseFromPureNoise(Tensor x) {
        checkInput(x.shape());
        return Tensor.of(x.backend(), x.dtype(), overallMean(), 1, dim).expand(x.shape()).contiguous();
    }

    /** The exact score on variance-exploding coordinates, without the detour through D. */
    @Override public Variable score(Variable x, double sigma) {
        if (!(sigma > 0)) throw new IllegalArgumentException("the score needs sigma > 0, got " + sigma);
        return mixtureScore(x, 1.0, sigma);
    }

    /**
     * The exact score of a process's marginal on its own coordinates: the mixture of N(alpha m_k, alpha^2 S_k + s^2 I)
     * with alpha, s the process's mean scale and std at t.
     */
    public Tensor scoreAt(Tensor x, MarginalProcess process, double t) {
        try (NoGrad g = NoGrad.enter()) {
            return mixtureScore(Variable.constant(x), process.meanScale(t), process.std(t)).value();
        }
    }

    /** log p(x) of the noised marginal N-mixture with scale alpha and noise std s, per sample: shape [N]. */
    public Tensor logDensity(Tensor x, double alpha, double s) {
        try (NoGrad g = NoGrad.enter()) {
            Variable[] logits = componentLogits(Variable.constant(x), alpha, s, null);
            Variable all = Variable.concat(1, logits);
            // log sum_k exp(l_k) = l_max + log sum exp(l_k - l_max); logSoftmax gives l_k - logsumexp
            Tensor lse = all.value().sub(all.value().logSoftmax(1)).narrow(1, 0, 1);
            return lse.reshape(x.shape(0));
        }
    }

    /** log p_0(x) of the data distribution, per sample. */
    public Tensor logDensity(Tensor x) { return logDensity(x, 1.0, 0.0); }

    private Variable mixtureScore(Variable x, double alpha, double s) {
        checkInput(x.shape());
        int k = weights.length;
        Variable[] precisionTimesDiff = new Variable[k];
        Variable[] logits = componentLogits(x, alpha, s, precisionTimesDiff);
        Variable score = null;
        if (k == 1) {
            score = precisionTimesDiff[0].neg();
        } else {
            Variable r = Variable.concat(1, logits).softmax(1);   // [N, K]
            for (int i = 0; i < k; i++) {
                Variable term = r.narrow(1, i, 1).mul(precisionTimesDiff[i]);
                score = score == null ? term.neg() : score.sub(term);
            }
        }
        return score;
    }

    /**
     * Per component: log w_k + log N(x; alpha m_k, alpha^2 S_k + s^2 I) as [N, 1], and (when wanted) C_k^{-1} (x - mu_k)
     * as [N, D].
     */
    private Variable[] componentLogits(Variable x, double alpha, double s, Variable[] precisionTimesDiff) {
        checkInput(x.shape());
        Backend backend = x.backend();
        DType dtype = x.dtype();
        int k = weights.length;
        Variable[] logits = new Variable[k];
        for (int i = 0; i < k; i++) {
            SymmetricMatrix c = covariances[i].scaledPlusIdentity(alpha * alpha, s * s);
            double[] mu = new double[dim];
            for (int j = 0; j < dim; j++) mu[j] = alpha * means[i][j];
            Variable diff = x.sub(Variable.constant(Tensor.of(backend, dtype, mu, 1, dim)));
            Variable pd = diff.matmul(Variable.constant(Tensor.of(backend, dtype, c.inverseRowMajor(), dim, dim)));
            if (precisionTimesDiff != null) precisionTimesDiff[i] = pd;
            double constant = Math.log(weights[i]) - 0.5 * c.logDeterminant() - 0.5 * dim * Math.log(2 * Math.PI);
            logits[i] = pd.mul(diff).sum(true, 1).mul(-0.5).add(constant);
        }
        return logits;
    }

    private void checkInput(int[] shape) {
        if (shape.length != 2 || shape[1] != dim) throw new IllegalArgumentException(name + ": expected points of shape [N, "
                + dim + "], got " + java.util.Arrays.toString(shape));
    }

    // ----------------------------------------------------------------------------- sampling

    /**
     * n exact draws x_0 ~ p_0 as [n, D]. Sample i uses Philox stream firstStream + i: element 0 (uniform) picks the
     * component, elements 1..D (normals) give z, and x = m_k + L_k z with S_k = L_k L_k^T.
     */
    public Tensor sample(Backend backend, DType dtype, int n, long seed, long firstStream) {
        if (n < 1) throw new IllegalArgumentException("number of samples must be >= 1, got " + n);
        double[] out = new double[n * dim];
        double[] z = new double[dim];
        for (int i = 0; i < n; i++) {
            long stream = firstStream + i;
            int comp = componentOf(Philox.element(RandomKind.UNIFORM, DType.F64, seed, stream, 0));
            for (int j = 0; j < dim; j++) z[j] = Philox.element(RandomKind.NORMAL, DType.F64, seed, stream, 4 + j);
            double[] lz = covariances[comp].lowerTimes(z);
            for (int j = 0; j < dim; j++) out[i * dim + j] = means[comp][j] + lz[j];
        }
        return Tensor.of(backend, dtype, out, n, dim);
    }

    private int componentOf(double u) {
        double c = 0;
        for (int k = 0; k < weights.length - 1; k++) {
            c += weights[k];
            if (u < c) return k;
        }
        return weights.length - 1;
    }

    /** The most responsible component of each point of x [N, D] under p_0 (host arrays; for evaluation). */
    public int[] assignComponents(double[] points) {
        int n = points.length / dim;
        int[] r = new int[n];
        double[][] inv = new double[weights.length][];
        double[] consts = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            inv[k] = covariances[k].inverseRowMajor();
            consts[k] = Math.log(weights[k]) - 0.5 * covariances[k].logDeterminant();
        }
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < weights.length; k++) {
                double q = 0;
                for (int a = 0; a < dim; a++) for (int b = 0; b < dim; b++) {
                    q += (points[i * dim + a] - means[k][a]) * inv[k][a * dim + b] * (points[i * dim + b] - means[k][b]);
                }
                double l = consts[k] - 0.5 * q;
                if (l > best) { best = l; r[i] = k; }
            }
        }
        return r;
    }

    @Override public String toString() { return "GaussianMixture[" + name + ", K=" + components() + ", D=" + dim + "]"; }
}
