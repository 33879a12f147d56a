package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * Group normalisation (Wu and He, ECCV 2018): channels split into groups, each normalised by its own mean
 * and biased variance per sample, then scaled by gamma ("weight", init 1) and shifted by beta ("bias", init 0).
 */
public final class GroupNorm extends Module implements UnaryModule {
    private final int groups, channels;
    private final double eps;
    private final Parameter weight, bias;

    public GroupNorm(int groups, int channels) { this(groups, channels, 1e-5); }

    public GroupNorm(int groups, int channels, double eps) {
        if (groups < 1 || channels % groups != 0) throw new IllegalArgumentException("GroupNorm: " + channels
                + " channels are not divisible into " + groups + " groups");
        if (!(eps > 0)) throw new IllegalArgumentException("GroupNorm: eps must be > 0, got " + eps);
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weight = registerParameter("weight", Init.full(1.0, channels));
        this.bias = registerParameter("bias", Init.full(0.0, channels));
    }

    public int groups() { return groups; }

    public int channels() { return channels; }

    public double eps() { return eps; }

    public Parameter weight() { return weight; }

    public Parameter bias() { return bias; }

    @Override public Variable forward(Variable x) { return Variable.groupNorm(x, weight, bias, groups, eps); }

    /** SiLU(GroupNorm(x)), fused into one kernel when no gradient is recorded. */
    public Variable forwardSilu(Variable x) { return Variable.groupNormSilu(x, weight, bias, groups, eps); }
}
