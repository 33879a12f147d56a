package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.util.Arrays;

/**
 * What to sample: the full batch shape [N, ...], backend, dtype and seed, and optionally the initial noise z
 * (standard normal, of that shape) from which the sampler starts at its prior, x_T = priorScale * z. Without it, z is
 * drawn with Philox under the seed, sample i on stream i.
 */
public record SampleRequest(Backend backend, DType dtype, int[] shape, long seed, Tensor initialNoise) {
    public SampleRequest {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        if (shape.length < 1 || shape[0] < 1) throw new IllegalArgumentException("shape must be [N, ...] with N >= 1, got "
                + Arrays.toString(shape));
        for (int d : shape) if (d < 1) throw new IllegalArgumentException("every extent must be >= 1, got " + Arrays.toString(shape));
        shape = shape.clone();
        if (initialNoise != null) {
            if (!Arrays.equals(initialNoise.shape(), shape)) throw new IllegalArgumentException("initial noise has shape "
                    + Arrays.toString(initialNoise.shape()) + ", expected " + Arrays.toString(shape));
            if (initialNoise.dtype() != dtype) throw new IllegalArgumentException("initial noise is " + initialNoise.dtype()
                    + ", expected " + dtype);
            if (initialNoise.backend() != backend) throw new IllegalArgumentException("initial noise lives on "
                    + initialNoise.device() + ", expected " + backend.device());
        }
    }

    /** N samples of the given per-sample shape on the CPU in F64. */
    public static SampleRequest of(long seed, int n, int... sampleShape) {
        return of(Backends.cpu(), DType.F64, seed, n, sampleShape);
    }

    public static SampleRequest of(Backend backend, DType dtype, long seed, int n, int... sampleShape) {
        int[] s = new int[sampleShape.length + 1];
        s[0] = n;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return new SampleRequest(backend, dtype, s, seed, null);
    }

    /** The same request starting from the given standard-normal noise. */
    public SampleRequest withInitialNoise(Tensor z) { return new SampleRequest(backend, dtype, shape, seed, z); }

    public int batch() { return shape[0]; }

    @Override public int[] shape() { return shape.clone(); }
}
