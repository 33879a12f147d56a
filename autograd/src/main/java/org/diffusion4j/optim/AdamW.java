package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;

import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR
 * 2019, Algorithm 2): p = (1 - lr * wd) p - lr / c1 * m / (sqrt(v) / sqrt(c2) + eps); the decay never
 * enters the moments. PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01.
 */
public final class AdamW extends Adam {
    public AdamW(Map<String, ? extends Variable> named, double lr) { this(named, lr, 0.9, 0.999, 1e-8, 0.01); }

    public AdamW(Map<String, ? extends Variable> named, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(named, lr, beta1, beta2, eps, weightDecay, true);
    }

    public AdamW(List<? extends Variable> params, double lr, double weightDecay) {
        this(byIndex(params), lr, 0.9, 0.999, 1e-8, weightDecay);
    }
}
