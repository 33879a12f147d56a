package org.diffusion4j.experiments.train;

/**
 * How a network output F becomes the denoiser, in the notation of Karras et al. 2022 (Table 1, eq. 7):
 * D(x; sigma) = c_skip(sigma) x + c_out(sigma) F(c_in(sigma) x; c_noise(sigma)), with x = x0 + sigma n on
 * variance-exploding coordinates. With the loss weight lambda = 1 / c_out^2 (their eq. 8), the loss
 * lambda |D - x0|^2 is |F - target|^2 with the effective target (x0 - c_skip x) / c_out, which is
 * <ul>
 *   <li>{@link #EPSILON}: c_skip = 1, c_out = -sigma: target n, the noise (Ho et al. 2020, eq. 14);</li>
 *   <li>{@link #X0}: c_skip = 0, c_out = 1: target x0;</li>
 *   <li>{@link #V}: c_skip = 1/(1+sigma^2), c_out = -sigma/sqrt(1+sigma^2): target v = alpha n - s x0 with
 *       alpha = 1/sqrt(1+sigma^2), s = sigma alpha (Salimans and Ho 2022, sec. 4);</li>
 *   <li>{@link #edm}: c_skip = sd^2/(sigma^2+sd^2), c_out = sigma sd/sqrt(sigma^2+sd^2) (Karras et al. 2022).</li>
 * </ul>
 * The first three use c_in = 1/sqrt(1+sigma^2), which turns x into the variance-preserving x_t = alpha x0 +
 * s n that DDPM networks see; EDM uses c_in = 1/sqrt(sigma^2+sd^2).
 */
public interface Preconditioning {
    double cSkip(double sigma);

    double cOut(double sigma);

    double cIn(double sigma);

    Preconditioning EPSILON = new Preconditioning() {
        public double cSkip(double s) { return 1; }
        public double cOut(double s) { return -s; }
        public double cIn(double s) { return 1 / Math.sqrt(1 + s * s); }
        @Override public String toString() { return "epsilon"; }
    };

    Preconditioning X0 = new Preconditioning() {
        public double cSkip(double s) { return 0; }
        public double cOut(double s) { return 1; }
        public double cIn(double s) { return 1 / Math.sqrt(1 + s * s); }
        @Override public String toString() { return "x0"; }
    };

    Preconditioning V = new Preconditioning() {
        public double cSkip(double s) { return 1 / (1 + s * s); }
        public double cOut(double s) { return -s / Math.sqrt(1 + s * s); }
        public double cIn(double s) { return 1 / Math.sqrt(1 + s * s); }
        @Override public String toString() { return "v"; }
    };

    static Preconditioning edm(double sigmaData) {
        if (!(sigmaData > 0)) throw new IllegalArgumentException("sigmaData must be > 0, got " + sigmaData);
        double sd2 = sigmaData * sigmaData;
        return new Preconditioning() {
            public double cSkip(double s) { return sd2 / (s * s + sd2); }
            public double cOut(double s) { return s * sigmaData / Math.sqrt(s * s + sd2); }
            public double cIn(double s) { return 1 / Math.sqrt(s * s + sd2); }
            @Override public String toString() { return "edm(sigmaData=" + sigmaData + ")"; }
        };
    }
}
