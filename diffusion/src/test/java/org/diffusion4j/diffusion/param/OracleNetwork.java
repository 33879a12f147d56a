package org.diffusion4j.diffusion.param;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * A "network" that outputs exactly what a perfectly trained network of the given parameterisation would, computed
 * from an exact denoiser: F = outputFor(D(x_t / a; s / a)). It expects conditioning {@code NoiseConditioning.time(1)}
 * (all samples at the same time during sampling; per-sample times during training) and a parameterisation whose
 * network input is x_t itself.
 */
public final class OracleNetwork implements NoiseConditionalNetwork {
    private final Denoiser exact;
    private final Parameterisation parameterisation;
    private final MarginalProcess process;

    public OracleNetwork(Denoiser exact, Parameterisation parameterisation, MarginalProcess process) {
        this.exact = exact;
        this.parameterisation = parameterisation;
        this.process = process;
    }

    @Override public Variable forward(Variable xt, Tensor noiseCondition, Conditioning condition) {
        double[] ts = noiseCondition.toDoubleArray();
        int n = ts.length;
        Variable[] rows = new Variable[n];
        for (int i = 0; i < n; i++) {
            double a = process.meanScale(ts[i]), s = process.std(ts[i]);
            Variable row = xt.narrow(0, i, 1);
            Tensor at = Tensor.full(xt.backend(), xt.dtype(), a, 1, 1), st = Tensor.full(xt.backend(), xt.dtype(), s, 1, 1);
            Variable d = exact.denoise(row.mul(1 / a), s / a);
            rows[i] = parameterisation.outputFor(d, row, at, st);
        }
        return Variable.concat(0, rows);
    }

    @Override public Module module() { throw new UnsupportedOperationException("the oracle has no parameters"); }
}
