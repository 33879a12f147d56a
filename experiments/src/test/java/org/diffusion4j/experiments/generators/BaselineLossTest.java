package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The GAN's and the VAE's losses against float64 loops written from the papers' formulas. */
class BaselineLossTest {
    private static final int B = 5;

    private static Tensor data() {
        double[] x = new double[2 * B];
        for (int i = 0; i < x.length; i++) x[i] = Math.cos(2.1 * i + 0.4) * 1.5;
        return Tensor.of(Backends.cpu(), DType.F64, x, B, 2);
    }

    private static Gan gan() {
        try (Init init = Init.seeded(3, Backends.cpu(), DType.F64)) { return new Gan(2, 2, 7, 2); }
    }

    private static Vae vae() {
        try (Init init = Init.seeded(4, Backends.cpu(), DType.F64)) { return new Vae(2, 3, 6, 2); }
    }

    /** The MLP in plain loops: h = act(W h + b) per hidden layer, no activation after the last. */
    static double[] mlp(FeedForward f, double[] x, double slope) {
        Mlp m = (Mlp) f;
        Map<String, Parameter> p = m.namedParameters();
        int layers = p.size() / 2;
        double[] h = x;
        for (int l = 0; l < layers; l++) {
            Tensor w = p.get(l + ".weight").value();
            double[] wv = w.contiguous().toDoubleArray(), bv = p.get(l + ".bias").value().toDoubleArray();
            int out = w.shape(0), in = w.shape(1);
            double[] y = new double[out];
            for (int o = 0; o < out; o++) {
                double s = bv[o];
                for (int i = 0; i < in; i++) s += wv[o * in + i] * h[i];
                y[o] = l < layers - 1 && s < 0 ? slope * s : s;
            }
            h = y;
        }
        return h;
    }

    private static double softplus(double x) { return Math.log1p(Math.exp(x)); }

    private static double[] row(double[] flat, int r, int width) { return java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width); }

    @Test
    void ganLossesMatchFloat64LoopsForBothKinds() {
        Gan g = gan();
        Tensor x = data();
        long seed = 99;
        double[] z = Tensor.random(Backends.cpu(), DType.F64, RandomKind.NORMAL, seed, 0, B, 2).toDoubleArray();
        double[] xs = x.toDoubleArray();
        double nsD = 0, nsG = 0, hD = 0, hG = 0;
        for (int i = 0; i < B; i++) {
            double real = mlp(g.discriminator(), row(xs, i, 2), 0.2)[0];
            double fake = mlp(g.discriminator(), mlp(g.generator(), row(z, i, 2), 0.0), 0.2)[0];
            nsD += (softplus(-real) + softplus(fake)) / B;
            nsG += softplus(-fake) / B;
            hD += (Math.max(0, 1 - real) + Math.max(0, 1 + fake)) / B;
            hG += -fake / B;
        }
        GanLoss.Players ns = new GanLoss("non-saturating").players(g, x, seed), hinge = new GanLoss("hinge").players(g, x, seed);
        assertEquals(nsD, ns.discriminatorLoss().value().item(), 1e-13);
        assertEquals(nsG, ns.generatorLoss().value().item(), 1e-13);
        assertEquals(hD, hinge.discriminatorLoss().value().item(), 1e-13);
        assertEquals(hG, hinge.generatorLoss().value().item(), 1e-13);
        assertEquals(nsD + nsG, new GanLoss("non-saturating").loss(g, x, null, seed).value().item(), 1e-13);

        // WGAN-GP (Gulrajani et al. 2017, eq. 3): L_D = E D(fake) - E D(real) + 10 E (|grad D(x_hat)| - 1)^2, L_G = -E D(fake)
        double[] eps = Tensor.random(Backends.cpu(), DType.F64, RandomKind.UNIFORM, seed, B, B, 1).toDoubleArray();
        double wD = 0, wG = 0;
        for (int i = 0; i < B; i++) {
            double[] xi = row(xs, i, 2), fi = mlp(g.generator(), row(z, i, 2), 0.0), hat = new double[2];
            for (int j = 0; j < 2; j++) hat[j] = eps[i] * xi[j] + (1 - eps[i]) * fi[j];
            double[] grad = GradientPenaltyTest.mlpInputGradient((Mlp) g.discriminator(), hat, 0.2);
            double norm = Math.sqrt(grad[0] * grad[0] + grad[1] * grad[1] + 1e-12);   // the documented 1e-12 under the root
            double fake = mlp(g.discriminator(), fi, 0.2)[0];
            wD += (fake - mlp(g.discriminator(), xi, 0.2)[0] + 10 * (norm - 1) * (norm - 1)) / B;
            wG += -fake / B;
        }
        GanLoss.Players w = new GanLoss("wgan-gp").players(g, x, seed);
        assertEquals(wD, w.discriminatorLoss().value().item(), 1e-12);
        assertEquals(wG, w.generatorLoss().value().item(), 1e-13);
    }

    /**
     * One backward pass of L_D + L_G gives the discriminator exactly dL_D/dtheta_D and the generator exactly
     * dL_G/dtheta_G: compared with L_D alone (the generator gets nothing from it) and with L_G through an ordinary,
     * unfrozen discriminator.
     */
    @Test
    void oneBackwardPassGivesEachPlayerTheGradientOfItsOwnLossOnly() {
        for (String kind : GanLoss.KINDS) {
            Gan g = gan();
            Tensor x = data();
            GanLoss loss = new GanLoss(kind);
            loss.loss(g, x, null, 7).backward();
            Map<String, Tensor> both = grads(g);

            g.zeroGrad();
            loss.players(g, x, 7).discriminatorLoss().backward();
            for (Map.Entry<String, Parameter> e : g.namedParameters().entrySet()) {
                if (e.getKey().startsWith("generator.")) assertNull(e.getValue().grad(), kind + ": L_D reached " + e.getKey());
                else assertArrayEquals(both.get(e.getKey()).toDoubleArray(), e.getValue().grad().toDoubleArray(), 1e-14, kind + " " + e.getKey());
            }

            g.zeroGrad();
            Variable fake = g.generator().forward(Variable.constant(GanLoss.latents(x, 7, B, 2)));
            Variable d = g.discriminator().forward(fake);
            Variable lg = kind.equals("non-saturating") ? Activations.softplus(d.neg()).mean() : d.mean().neg();
            lg.backward();
            for (Map.Entry<String, Parameter> e : g.namedParameters().entrySet()) {
                if (!e.getKey().startsWith("generator.")) continue;
                assertNotNull(e.getValue().grad());
                assertArrayEquals(e.getValue().grad().toDoubleArray(), both.get(e.getKey()).toDoubleArray(), 1e-14, kind + " " + e.getKey());
            }
        }
    }

    private static Map<String, Tensor> grads(Gan g) {
        Map<String, Tensor> m = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : g.namedParameters().entrySet()) m.put(e.getKey(), e.getValue().grad().copy());
        return m;
    }

    @Test
    void vaeNegativeElboMatchesAFloat64LoopOfKingmaAndWellingsFormula() {
        Vae v = vae();
        // A non-zero decoder std, so that the sigma terms are tested too.
        v.logStd().assign(Tensor.of(Backends.cpu(), DType.F64, new double[]{-0.7, 0.3}, 2));
        Tensor x = data();
        long seed = 5;
        int L = 3;
        double[] e = Tensor.random(Backends.cpu(), DType.F64, RandomKind.NORMAL, seed, 0, B, L).toDoubleArray();
        double[] xs = x.toDoubleArray(), logStd = {-0.7, 0.3};
        double total = 0;
        for (int i = 0; i < B; i++) {
            double[] h = mlp(v.encoder(), row(xs, i, 2), 0.2);
            double[] zi = new double[L];
            double kl = 0;
            for (int k = 0; k < L; k++) {
                double mu = h[k], logvar = h[L + k];
                zi[k] = mu + Math.exp(logvar / 2) * e[i * L + k];
                kl += 0.5 * (mu * mu + Math.exp(logvar) - 1 - logvar);
            }
            double[] m = mlp(v.decoder(), zi, 0.2);
            double rec = 0;
            for (int j = 0; j < 2; j++) {
                double s = Math.exp(logStd[j]), r = (xs[2 * i + j] - m[j]) / s;
                rec += 0.5 * r * r + Math.log(s) + 0.5 * Math.log(2 * Math.PI);
            }
            total += (rec + kl) / B;
        }
        assertEquals(total, new VaeLoss().loss(v, x, null, seed).value().item(), 1e-12);
    }

    @Test
    void generatedSamplesAreTheNetworksOutputOnTheSeedsLatents() {
        Gan g = gan();
        double[] z = Tensor.randn(Backends.cpu(), DType.F64, 21, 0, 3, 2).toDoubleArray();
        double[] s = g.generate(3, 21).toDoubleArray();
        for (int i = 0; i < 3; i++) assertArrayEquals(mlp(g.generator(), row(z, i, 2), 0.0), row(s, i, 2), 1e-14);

        Vae v = vae();
        double[] zv = Tensor.randn(Backends.cpu(), DType.F64, 21, 0, 3, 3).toDoubleArray();
        double[] ev = Tensor.randn(Backends.cpu(), DType.F64, 21, 3, 3, 2).toDoubleArray();
        double[] sv = v.generate(3, 21).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double[] m = mlp(v.decoder(), row(zv, i, 3), 0.2);
            for (int j = 0; j < 2; j++) assertEquals(m[j] + ev[2 * i + j], sv[2 * i + j], 1e-14);   // sigma = exp(0) = 1
        }
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        assertEquals("GAN loss 'wgan': expected one of [non-saturating, hinge, wgan-gp]",
                assertThrows(IllegalArgumentException.class, () -> new GanLoss("wgan")).getMessage());
        Gan g = gan();
        Tensor t = Tensor.zeros(Backends.cpu(), DType.F64, B);
        assertThrows(IllegalArgumentException.class, () -> g.forward(Variable.constant(data()), t, null));
    }
}
