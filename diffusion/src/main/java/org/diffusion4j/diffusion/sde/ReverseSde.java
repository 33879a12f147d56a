package org.diffusion4j.diffusion.sde;

import org.diffusion4j.tensor.Tensor;

/**
 * The reverse of a forward {@link Sde} for a given score (Anderson 1982; Song et al. 2021, eq. 6), or its
 * probability-flow ODE (eq. 13). Integrated backwards from T to 0, i.e. with negative time steps.
 */
public final class ReverseSde {
    private final Sde forward;
    private final Sde.ScoreField score;
    private final boolean probabilityFlow;

    ReverseSde(Sde forward, Sde.ScoreField score, boolean probabilityFlow) {
        this.forward = forward;
        this.score = score;
        this.probabilityFlow = probabilityFlow;
    }

    public Sde forward() { return forward; }

    public boolean isProbabilityFlow() { return probabilityFlow; }

    /** f(x, t) - c g(t)^2 score(x, t), with c = 1 for the SDE and 1/2 for the ODE (one score evaluation). */
    public Tensor drift(Tensor x, double t) {
        double g = forward.diffusion(t);
        double c = probabilityFlow ? 0.5 : 1.0;
        return Tensor.linearCombination(forward.driftCoefficient(t), x, -c * g * g, score.score(x, t), 0, null);
    }

    /** g(t) for the SDE, 0 for the probability-flow ODE. */
    public double diffusion(double t) { return probabilityFlow ? 0.0 : forward.diffusion(t); }

    /**
     * The reverse of the forward discretisation from t to t - dt (Song et al. 2021, eq. 45-46, "reverse diffusion"
     * predictor): x_{i} = x_{i+1} - f_{i+1} + G_{i+1}^2 s(x_{i+1}) (+ G_{i+1} z), halved score and no noise for
     * the ODE. Returns the deterministic part; the caller adds noiseScale * z.
     */
    public Sde.Discretisation discretise(Tensor x, double t, double dt) {
        Sde.Discretisation d = forward.discretise(x, t, dt);
        double c = probabilityFlow ? 0.5 : 1.0;
        double g = d.noiseScale();
        Tensor rev = Tensor.linearCombination(-1, d.driftIncrement(), c * g * g, score.score(x, t), 0, null);
        return new Sde.Discretisation(rev, probabilityFlow ? 0.0 : g);
    }
}
