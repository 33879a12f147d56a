package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.CountingDenoiser;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.util.function.UnaryOperator;

/**
 * The bookkeeping every sampler shares: the NFE-counting model, Philox noise per step (sample i on stream i, a
 * fresh key per step), and the per-step {@link Scope} that keeps device memory flat: each step's intermediates are
 * freed when it ends, and the previous state is released once the next one exists. Nothing here reads back to the
 * host, so the loop does not synchronise with the device.
 */
final class SamplingContext {
    private final CountingDenoiser model;
    private final SampleRequest request;
    private final Tensor userNoise;
    private Tensor[] state = new Tensor[0];

    SamplingContext(Denoiser model, SampleRequest request) {
        if (model == null) throw new IllegalArgumentException("model must not be null");
        this.model = new CountingDenoiser(model);
        this.request = request;
        this.userNoise = request.initialNoise();
    }

    CountingDenoiser model() { return model; }

    SampleRequest request() { return request; }

    /** The standard-normal z that the sampler starts from (the request's, or drawn under the seed). */
    Tensor initialNoise() {
        if (userNoise != null) return userNoise;
        return Tensor.randn(request.backend(), request.dtype(), request.seed(), 0, request.shape());
    }

    /** Fresh standard-normal noise for step k (k = 0, 1, ...), independent of the initial noise and of other steps. */
    Tensor noise(long k) {
        return Tensor.randn(request.backend(), request.dtype(), stepSeed(request.seed(), k), 0, request.shape());
    }

    /** SplitMix64's finaliser of (seed, step): a distinct Philox key per step. */
    static long stepSeed(long seed, long k) {
        long z = seed + 0x9E3779B97F4A7C15L * (k + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Starts the loop's state (e.g. x_T, or x_T and a previous denoised estimate). */
    void start(Tensor... initial) { state = initial.clone(); }

    Tensor state(int i) { return state[i]; }

    /**
     * Runs one step in its own scope: body maps the current state to the next; the next state survives, everything
     * else allocated in the step is freed, and old state tensors no longer referenced are closed.
     */
    void step(java.util.function.Function<Tensor[], Tensor[]> body) {
        Tensor[] next;
        try (Scope s = Scope.open()) {
            next = body.apply(state.clone());
            s.keepAll(next);
        }
        for (Tensor old : state) {
            if (old == null || old == userNoise) continue;
            boolean reused = false;
            for (Tensor t : next) if (t != null && t.storage() == old.storage()) reused = true;
            if (userNoise != null && userNoise.storage() == old.storage()) reused = true;
            if (!reused) old.storage().close();
        }
        state = next;
    }

    /** One step of a single-tensor state. */
    void stepX(UnaryOperator<Tensor> body) { step(st -> new Tensor[]{body.apply(st[0])}); }

    SampleResult finish() { return new SampleResult(state[0], model.evaluations()); }

    /** Per-sample sum of squares over all non-batch axes, shaped [N, 1, ..., 1] to broadcast against x. */
    static Tensor perSampleSquaredNorm(Tensor x) {
        int n = x.shape(0);
        int[] keep = new int[x.rank()];
        java.util.Arrays.fill(keep, 1);
        keep[0] = n;
        return x.reshape(n, -1).square().sum(true, 1).reshape(keep);
    }
}
