package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.objective.Weighting;
import org.diffusion4j.diffusion.param.Parameterisation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What each parameterisation's plain loss |F - target|^2 weighs the denoising error |D - x_0|^2 with, over the noise
 * level: lambda(sigma) = 1 / w with w = Parameterisation.denoisedErrorScale(a, s) on the VP process a = 1 / sqrt(1 + sigma^2),
 * s = sigma a; and the weightings of objective.Weighting on the same scale. Right: EDM's weight times its training
 * density of log sigma, N(-1.2, 1.2^2) (Karras et al. 2022, Table 1), against the same density with the epsilon loss.
 */
final class LossWeightingFigure implements Figure {
    @Override public String name() { return "loss-weightings"; }

    @Override public String description() { return "the weight each parameterisation and weighting puts on |D - x_0|^2, over sigma"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        int m = tiny ? 9 : 200;
        double[] sigma = new double[m];
        for (int i = 0; i < m; i++) sigma[i] = Math.pow(10, -2.5 + 4.5 * i / (m - 1.0));
        Panel left = new Panel("weight on |D - x_0|^2").labels("sigma", "lambda(sigma)").logX().logY();
        List<Parameterisation> params = List.of(Parameterisation.EPSILON, Parameterisation.X0, Parameterisation.V,
                Parameterisation.edm(0.5));
        String[] names = {"epsilon", "x0", "v", "EDM (sd 0.5)"};
        for (int k = 0; k < params.size(); k++) {
            Parameterisation p = params.get(k);
            double[] y = new double[m];
            for (int i = 0; i < m; i++) {
                double a = 1 / Math.sqrt(1 + sigma[i] * sigma[i]);
                y[i] = 1 / p.denoisedErrorScale(a, sigma[i] * a);
            }
            left.line(sigma, y, Panel.PALETTE[k], 1.6, names[k]);
        }
        double[] minSnr = new double[m];
        Weighting ms = Weighting.minSnr(5);
        for (int i = 0; i < m; i++) {
            double a = 1 / Math.sqrt(1 + sigma[i] * sigma[i]);
            minSnr[i] = ms.weight(0, a, sigma[i] * a, 1.0);
        }
        left.dashedLine(sigma, minSnr, Panel.PALETTE[4], 1.4, "min-SNR-5");
        Panel right = new Panel("weight x density of log sigma").labels("sigma", "lambda(sigma) p(log sigma)").logX().logY();
        double[] edm = new double[m], eps = new double[m];
        for (int i = 0; i < m; i++) {
            double u = Math.log(sigma[i]), density = Math.exp(-0.5 * Math.pow((u + 1.2) / 1.2, 2)) / (1.2 * Math.sqrt(2 * Math.PI));
            edm[i] = density * (sigma[i] * sigma[i] + 0.25) / (sigma[i] * sigma[i] * 0.25);
            eps[i] = density / (sigma[i] * sigma[i]);
        }
        right.line(sigma, edm, Panel.PALETTE[3], 1.6, "EDM weight");
        right.line(sigma, eps, Panel.PALETTE[0], 1.6, "epsilon loss");
        SvgFigure.write(out, List.of(left, right), 2, "lambda = 1 / Parameterisation.denoisedErrorScale on the VP process;"
                + " d4j figure loss-weightings");
    }
}
