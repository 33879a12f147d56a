package org.diffusion4j.diffusion.inpaint;

import org.diffusion4j.tensor.Tensor;

/**
 * How a walk of {@link Inpainter} ties the state to a reference image after each reverse move: given the reference
 * noised to the new timestep (a fresh draw of q(y_to | y), or y itself on the last move) and the unconstrained
 * proposal reverse(x_i), the new state.
 */
public interface Constraint {
    Tensor impose(Tensor noisedReference, Tensor proposal);

    /** Checks that the constraint fits references of this shape; throws naming both when it does not. */
    void check(Tensor reference);

    /**
     * Replacement (Song et al. 2021, App. I.2): m y_to + (1 - m) x', written as two products so that where the mask is
     * exactly 1 the result is exactly y_to.
     *
     * @param mask 1 known, 0 unknown, of the reference's shape or [1, ...] of it
     */
    static Constraint mask(Tensor mask) {
        Tensor fill = mask.mul(-1.0).add(1.0);
        return new Constraint() {
            @Override public Tensor impose(Tensor y, Tensor proposal) { return y.mul(mask).add(proposal.mul(fill)); }

            @Override public void check(Tensor known) { Inpainter.checkMask(known, mask); }
        };
    }

    /**
     * ILVR (Choi et al. 2021, "ILVR: Conditioning method for denoising diffusion probabilistic models", Algorithm 1):
     * x = phi(y_to) + x' - phi(x'), with the low-pass filter phi(x) = up_f(down_f(x)) (f x f block means repeated
     * back over their blocks), so the low frequencies come from the reference and the high ones from the model. phi
     * is a projection, so after the last move phi(x_0) = phi(y) up to rounding.
     */
    static Constraint lowPass(int factor) {
        if (factor < 2) throw new IllegalArgumentException("the low-pass factor must be >= 2, got " + factor);
        return new Constraint() {
            @Override public Tensor impose(Tensor y, Tensor proposal) {
                return Tensor.linearCombination(1, proposal, -1, phi(proposal), 1, phi(y));
            }

            private Tensor phi(Tensor x) { return x.avgPool2d(factor).upsampleNearest2d(factor); }

            @Override public void check(Tensor reference) {
                if (reference.rank() != 4 || reference.shape(2) % factor != 0 || reference.shape(3) % factor != 0) {
                    throw new IllegalArgumentException("ILVR with factor " + factor + " needs images [N, C, H, W] with H and W "
                            + "divisible by it, got " + java.util.Arrays.toString(reference.shape()));
                }
            }
        };
    }
}
