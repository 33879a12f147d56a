package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sde.ReverseSde;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * From the same x_T, the probability-flow ODE (Song et al. 2021, eq. 13) and the reverse SDE (eq. 6) on the VP SDE with
 * the exact score of the 8-Gaussian mixture (Sde.reverse), both by small Euler(-Maruyama) steps: left the 2-D paths,
 * right the first coordinate against t.
 */
final class ProbabilityFlowVsSdeFigure implements Figure {
    @Override public String name() { return "pf-vs-sde"; }

    @Override public String description() { return "probability-flow ODE against reverse-SDE trajectories from the same starts"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        GaussianMixture data = AnalyticModels.eightGaussians();
        VpSde sde = new VpSde();
        int n = 4, steps = tiny ? 20 : 500;
        double end = 1e-3, h = (1 - end) / steps;
        Tensor start = Tensor.randn(Backends.cpu(), DType.F64, 11, 0, n, 2);
        ReverseSde ode = sde.reverse((x, t) -> data.scoreAt(x, sde, t), true);
        ReverseSde rev = sde.reverse((x, t) -> data.scoreAt(x, sde, t), false);
        List<double[]> odePath = new ArrayList<>(), sdePath = new ArrayList<>();
        double[] times = new double[steps + 1];
        Tensor xo = start, xs = start;
        odePath.add(xo.toDoubleArray());
        sdePath.add(xs.toDoubleArray());
        times[0] = 1;
        for (int k = 0; k < steps; k++) {
            double t = 1 - k * h;
            xo = Tensor.linearCombination(1, xo, -h, ode.drift(xo, t), 0, null);
            Tensor z = Tensor.randn(Backends.cpu(), DType.F64, 1000 + k, 0, n, 2);
            xs = Tensor.linearCombination(1, xs, -h, rev.drift(xs, t), rev.diffusion(t) * Math.sqrt(h), z);
            odePath.add(xo.toDoubleArray());
            sdePath.add(xs.toDoubleArray());
            times[k + 1] = t - h;
        }
        Panel plane = new Panel("paths in the plane").range(-2.8, 2.8, -2.8, 2.8).equalAspect();
        Panel coordinate = new Panel("x_1 against t (runs right to left)").labels("t", "x_1(t)");
        for (int i = 0; i < n; i++) {
            String c = Panel.PALETTE[i % Panel.PALETTE.length];
            double[][] o = column(odePath, i), s = column(sdePath, i);
            plane.line(o[0], o[1], c, 1.4, i == 0 ? "probability flow" : null);
            plane.dashedLine(s[0], s[1], c, 0.5, i == 0 ? "reverse SDE" : null);
            coordinate.line(times, o[0], c, 1.4, null);
            coordinate.dashedLine(times, s[0], c, 0.7, null);
        }
        SvgFigure.write(out, List.of(plane, coordinate), 2, "VP SDE, " + steps + " steps from t = 1 to " + end
                + "; solid: ODE, dashed: SDE, same x_T per colour; d4j figure pf-vs-sde");
    }

    private static double[][] column(List<double[]> path, int i) {
        double[] x = new double[path.size()], y = new double[path.size()];
        for (int s = 0; s < path.size(); s++) { x[s] = path.get(s)[2 * i]; y[s] = path.get(s)[2 * i + 1]; }
        return new double[][]{x, y};
    }
}
