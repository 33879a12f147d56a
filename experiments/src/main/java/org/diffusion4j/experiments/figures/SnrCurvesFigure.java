package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.diffusion.sde.SubVpSde;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * SNR = alpha^2 / sigma^2 = 1 / noiseLevel^2 over normalised time, for every discrete schedule (DiscreteSchedule:
 * SNR_i = alpha-bar_i / (1 - alpha-bar_i)) and every SDE (Sde.noiseLevel).
 */
final class SnrCurvesFigure implements Figure {
    @Override public String name() { return "snr-curves"; }

    @Override public String description() { return "log SNR of every discrete schedule and every SDE against t / T"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        int t = 1000;
        Panel discrete = new Panel("discrete schedules, T = 1000").labels("i / T", "SNR = alpha-bar / (1 - alpha-bar)").logY();
        List<DiscreteSchedule> schedules = List.of(DiscreteSchedule.linear(t, 1e-4, 0.02), DiscreteSchedule.scaledLinear(t, 0.00085, 0.012),
                DiscreteSchedule.cosine(t), DiscreteSchedule.sigmoid(t));
        String[] names = {"linear", "scaled-linear", "cosine", "sigmoid"};
        int stride = tiny ? 100 : 5;
        for (int k = 0; k < schedules.size(); k++) {
            DiscreteSchedule s = schedules.get(k);
            int m = (t - 1) / stride + 1;
            double[] x = new double[m], y = new double[m];
            for (int j = 0; j < m; j++) {
                int i = j * stride;
                double ab = s.alphaBar(i);
                x[j] = (i + 1.0) / t;
                y[j] = ab / (1 - ab);
            }
            discrete.line(x, y, Panel.PALETTE[k], 1.6, names[k]);
        }
        Panel continuous = new Panel("SDEs").labels("t / T", "SNR = 1 / noise level^2").logY();
        List<Sde> sdes = List.of(new VpSde(), new SubVpSde(0.1, 20), new VeSde(0.01, 50), new EdmSde(80));
        String[] sdeNames = {"VP", "sub-VP", "VE (0.01..50)", "EDM (sigma = t)"};
        int m = tiny ? 11 : 400;
        for (int k = 0; k < sdes.size(); k++) {
            Sde s = sdes.get(k);
            double[] x = new double[m], y = new double[m];
            for (int j = 0; j < m; j++) {
                double u = 1e-3 + (1 - 1e-3) * j / (m - 1.0);
                x[j] = u;
                double sigma = s.noiseLevel(u * s.endTime());
                y[j] = 1 / (sigma * sigma);
            }
            continuous.line(x, y, Panel.PALETTE[k], 1.6, sdeNames[k]);
        }
        SvgFigure.write(out, List.of(discrete, continuous), 2, "d4j figure snr-curves");
    }
}
