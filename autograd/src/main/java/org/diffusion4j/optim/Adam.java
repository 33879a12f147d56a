package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, ICLR 2015, Algorithm 1) in PyTorch's form: with g (plus wd * p for L2 weight decay),
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, and the bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t,
 * p -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps). {@link AdamW} decouples the weight decay instead.
 */
public class Adam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decoupled;

    public Adam(Map<String, ? extends Variable> named, double lr) { this(named, lr, 0.9, 0.999, 1e-8, 0); }

    public Adam(Map<String, ? extends Variable> named, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(named, lr, beta1, beta2, eps, weightDecay, false);
    }

    public Adam(List<? extends Variable> params, double lr) { this(byIndex(params), lr); }

    Adam(Map<String, ? extends Variable> named, double lr, double beta1, double beta2, double eps, double weightDecay,
         boolean decoupled) {
        super(named, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException(
                getClass().getSimpleName() + ": betas must be in [0, 1), got " + beta1 + " and " + beta2);
        if (!(eps > 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be > 0, got " + eps);
        if (weightDecay < 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": weight decay must be >= 0, got " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** Updates p, m and v in place through {@link org.diffusion4j.tensor.Backend#adamStep} (one fused pass on OpenCL). */
    @Override protected Tensor update(String name, Tensor p, Tensor g, long t) {
        if (slot(name, "exp_avg") == null) {   // zero moments: the first step then gives m = (1 - b1) g, v = (1 - b2) g^2
            setSlot(name, "exp_avg", p.zerosLike());
            setSlot(name, "exp_avg_sq", p.zerosLike());
        }
        Tensor m = slot(name, "exp_avg"), v = slot(name, "exp_avg_sq");
        double lr = learningRate();
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        double l2 = decoupled ? 0 : weightDecay;
        double shrink = decoupled ? 1 - lr * weightDecay : 1.0;
        p.backend().adamStep(p.view(), g.view(), m.view(), v.view(), l2, beta1, beta2, lr / c1, 1 / Math.sqrt(c2), eps, shrink);
        return p;
    }

    @Override protected List<String> slotNames() { return List.of("exp_avg", "exp_avg_sq"); }
}
