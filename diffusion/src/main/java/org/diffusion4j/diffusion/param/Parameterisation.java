package org.diffusion4j.diffusion.param;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

import java.util.Locale;

/**
 * What a network's raw output F means, for a process x_t = a x_0 + s eps (per-sample a, s as tensors shaped to
 * broadcast against x, e.g. [N, 1, 1, 1]). Every parameterisation maps (F, x_t) to the denoised estimate D = x_0-hat,
 * back from D to F, and gives the regression target for F and the factor w with |D - x_0|^2 = w |F - target|^2.
 * Karras et al. 2022 (Table 1) write all of them as D = c_skip x + c_out F(c_in x; c_noise).
 * <ul>
 *   <li>{@link #EPSILON}: F predicts eps (Ho et al. 2020): D = (x_t - s F) / a, w = (s / a)^2;</li>
 *   <li>{@link #X0}: F predicts x_0: D = F, w = 1;</li>
 *   <li>{@link #V}: F predicts v = a eps - s x_0 (Salimans &amp; Ho 2022, Sec. 4 and Appendix D):
 *       D = (a x_t - s F) / (a^2 + s^2), w = (s / (a^2 + s^2))^2;</li>
 *   <li>{@link #SCORE}: F predicts grad log p_t(x_t) = -eps / s (Song &amp; Ermon 2019): D = (x_t + s^2 F) / a, w = (s^2 / a)^2;</li>
 *   <li>{@link #edm}: Karras et al. 2022, Table 1, on y = x_t / a, sigma = s / a: c_skip = sd^2 / (sigma^2 + sd^2),
 *       c_out = sigma sd / sqrt(sigma^2 + sd^2), c_in = 1 / sqrt(sigma^2 + sd^2); D = c_skip y + c_out F(c_in y),
 *       target (x_0 - c_skip y) / c_out, w = c_out^2.</li>
 * </ul>
 */
public abstract class Parameterisation {
    private final String name;

    private Parameterisation(String name) { this.name = name; }

    public String name() { return name; }

    @Override public String toString() { return name; }

    /** The network's input for x_t (x_t itself except for EDM's c_in scaling). */
    public Variable networkInput(Variable xt, Tensor a, Tensor s) { return xt; }

    /** D = x_0-hat from the network output F at x_t. */
    public abstract Variable denoised(Variable f, Variable xt, Tensor a, Tensor s);

    /** The output F that corresponds to a denoised estimate D (the inverse of {@link #denoised}). */
    public abstract Variable outputFor(Variable d, Variable xt, Tensor a, Tensor s);

    /** The regression target of F for x_t = a x_0 + s eps. */
    public abstract Tensor target(Tensor x0, Tensor eps, Tensor a, Tensor s);

    /** w with |D - x_0|^2 = w |F - target|^2, per sample, from scalars a and s. */
    public abstract double denoisedErrorScale(double a, double s);

    private static Variable c(Tensor t) { return Variable.constant(t); }

    /**
     * The same map on variance-exploding coordinates y = x_t / a with scalar a, s: the network's input is
     * {@code input} y and D = {@code skip} y + {@code out} F (Karras et al. 2022, Table 1: c_in, c_skip, c_out).
     */
    public record Affine(double input, double skip, double out) { }

    /** c_in, c_skip and c_out of {@link Affine} for scalar a and s; {@link #denoised} is the same map on tensors. */
    public abstract Affine affine(double a, double s);

    public static final Parameterisation EPSILON = new Parameterisation("epsilon") {
        @Override public Variable denoised(Variable f, Variable xt, Tensor a, Tensor s) { return xt.sub(f.mul(c(s))).div(c(a)); }

        // x_t = a y: D = (a y - s F) / a
        @Override public Affine affine(double a, double s) { return new Affine(a, 1, -s / a); }

        @Override public Variable outputFor(Variable d, Variable xt, Tensor a, Tensor s) { return xt.sub(d.mul(c(a))).div(c(s)); }

        @Override public Tensor target(Tensor x0, Tensor eps, Tensor a, Tensor s) { return eps; }

        @Override public double denoisedErrorScale(double a, double s) { return (s / a) * (s / a); }
    };

    public static final Parameterisation X0 = new Parameterisation("x0") {
        @Override public Variable denoised(Variable f, Variable xt, Tensor a, Tensor s) { return f; }

        @Override public Affine affine(double a, double s) { return new Affine(a, 0, 1); }

        @Override public Variable outputFor(Variable d, Variable xt, Tensor a, Tensor s) { return d; }

        @Override public Tensor target(Tensor x0, Tensor eps, Tensor a, Tensor s) { return x0; }

        @Override public double denoisedErrorScale(double a, double s) { return 1; }
    };

    public static final Parameterisation V = new Parameterisation("v") {
        @Override public Variable denoised(Variable f, Variable xt, Tensor a, Tensor s) {
            return xt.mul(c(a)).sub(f.mul(c(s))).div(c(a.square().add(s.square())));
        }

        // D = (a a y - s F) / (a^2 + s^2)
        @Override public Affine affine(double a, double s) { return new Affine(a, a * a / (a * a + s * s), -s / (a * a + s * s)); }

        @Override public Variable outputFor(Variable d, Variable xt, Tensor a, Tensor s) {
            return xt.mul(c(a)).sub(d.mul(c(a.square().add(s.square())))).div(c(s));
        }

        @Override public Tensor target(Tensor x0, Tensor eps, Tensor a, Tensor s) { return eps.mul(a).sub(x0.mul(s)); }

        @Override public double denoisedErrorScale(double a, double s) {
            double r = s / (a * a + s * s);
            return r * r;
        }
    };

    public static final Parameterisation SCORE = new Parameterisation("score") {
        @Override public Variable denoised(Variable f, Variable xt, Tensor a, Tensor s) { return xt.add(f.mul(c(s.square()))).div(c(a)); }

        // D = (a y + s^2 F) / a
        @Override public Affine affine(double a, double s) { return new Affine(a, 1, s * s / a); }

        @Override public Variable outputFor(Variable d, Variable xt, Tensor a, Tensor s) { return d.mul(c(a)).sub(xt).div(c(s.square())); }

        @Override public Tensor target(Tensor x0, Tensor eps, Tensor a, Tensor s) { return eps.div(s).neg(); }

        @Override public double denoisedErrorScale(double a, double s) { return (s * s / a) * (s * s / a); }
    };

    /** EDM preconditioning with data standard deviation sigmaData (Karras et al. 2022 use 0.5). */
    public static Parameterisation edm(double sigmaData) {
        if (!(sigmaData > 0)) throw new IllegalArgumentException("sigma_data must be > 0, got " + sigmaData);
        double sd2 = sigmaData * sigmaData;
        return new Parameterisation("edm(sigma_data=" + sigmaData + ")") {
            // sigma = s / a; y = x_t / a
            private Tensor sigma2(Tensor a, Tensor s) { return s.div(a).square(); }

            private Tensor cSkip(Tensor a, Tensor s) { return sigma2(a, s).add(sd2).reciprocal().mul(sd2); }

            private Tensor cOut(Tensor a, Tensor s) { return s.div(a).mul(sigmaData).mul(sigma2(a, s).add(sd2).rsqrt()); }

            private Tensor cIn(Tensor a, Tensor s) { return sigma2(a, s).add(sd2).rsqrt(); }

            @Override public Variable networkInput(Variable xt, Tensor a, Tensor s) { return xt.mul(c(cIn(a, s).div(a))); }

            @Override public Affine affine(double a, double s) {
                double sigma = s / a, norm = Math.sqrt(sigma * sigma + sd2);
                return new Affine(1 / norm, sd2 / (sigma * sigma + sd2), sigma * sigmaData / norm);
            }

            @Override public Variable denoised(Variable f, Variable xt, Tensor a, Tensor s) {
                return xt.mul(c(cSkip(a, s).div(a))).add(f.mul(c(cOut(a, s))));
            }

            @Override public Variable outputFor(Variable d, Variable xt, Tensor a, Tensor s) {
                return d.sub(xt.mul(c(cSkip(a, s).div(a)))).div(c(cOut(a, s)));
            }

            @Override public Tensor target(Tensor x0, Tensor eps, Tensor a, Tensor s) {
                Tensor y = x0.add(eps.mul(s.div(a)));
                return x0.sub(y.mul(cSkip(a, s))).div(cOut(a, s));
            }

            @Override public double denoisedErrorScale(double a, double s) {
                double sigma = s / a;
                return sigma * sigma * sd2 / (sigma * sigma + sd2);
            }
        };
    }

    public static Parameterisation byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "epsilon", "eps" -> EPSILON;
            case "x0", "sample" -> X0;
            case "v" -> V;
            case "score" -> SCORE;
            case "edm" -> edm(0.5);
            default -> throw new IllegalArgumentException("unknown parameterisation '" + name + "': expected epsilon, x0, v, score or edm");
        };
    }
}
