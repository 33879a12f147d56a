package org.diffusion4j.diffusion.model;

import org.diffusion4j.autograd.Variable;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A denoiser that counts its evaluations: the number of network function evaluations (NFE) a sampler spent,
 * each call on a batch counting once, reported next to every quality number.
 */
public final class CountingDenoiser implements Denoiser {
    private final Denoiser inner;
    private final AtomicLong evaluations = new AtomicLong();

    public CountingDenoiser(Denoiser inner) {
        if (inner == null) throw new IllegalArgumentException("denoiser must not be null");
        this.inner = inner;
    }

    @Override public Variable denoise(Variable x, double sigma) {
        evaluations.incrementAndGet();
        return inner.denoise(x, sigma);
    }

    @Override public org.diffusion4j.tensor.Tensor denoiseFromPureNoise(org.diffusion4j.tensor.Tensor x) {
        evaluations.incrementAndGet();
        return inner.denoiseFromPureNoise(x);
    }

    @Override public java.util.Optional<AffineDenoised> denoiseAffine(org.diffusion4j.tensor.Tensor x, double scale, double sigma) {
        java.util.Optional<AffineDenoised> d = inner.denoiseAffine(x, scale, sigma);
        if (d.isPresent()) evaluations.incrementAndGet();
        return d;
    }

    /** Evaluations so far. */
    public long evaluations() { return evaluations.get(); }

    public Denoiser inner() { return inner; }
}
