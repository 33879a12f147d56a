package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

import java.util.Collection;

/** Gradient clipping by the global norm, as PyTorch's clip_grad_norm_. */
public final class GradClip {
    private GradClip() { }

    /**
     * Computes the L2 norm of all gradients taken together, n = sqrt(sum_i ||g_i||^2) and, when
     * n &gt; maxNorm, scales every gradient by maxNorm / (n + 1e-6). Returns n (before clipping). The squared
     * norms are summed on the device; only the total is read to the host.
     */
    public static double clipGlobalNorm(Collection<? extends Variable> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGlobalNorm: maxNorm must be > 0, got " + maxNorm);
        double hostPart = 0;
        Tensor devicePart = null;
        for (Variable p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            Tensor sq = g.square().sum();
            if (devicePart == null) devicePart = sq;
            else if (sq.backend() == devicePart.backend() && sq.dtype() == devicePart.dtype()) devicePart = devicePart.add(sq);
            else hostPart += sq.item();
        }
        double norm = Math.sqrt(hostPart + (devicePart == null ? 0 : devicePart.item()));
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Variable p : params) if (p.grad() != null) p.setGrad(p.grad().mul(coef));
        }
        return norm;
    }
}
