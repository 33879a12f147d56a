package org.diffusion4j.diffusion.text;

import org.diffusion4j.autograd.Variable;

/**
 * A network for masked diffusion: partly masked sequences z [n, l] (mask id V) to logits [n, l, V] of
 * p_theta(x_i | z) over the V real tokens. It sees no time: with absorbing noise the number of masks already
 * tells it, and MDLM (Sahoo et al. 2024, Sec. 3.2) finds time conditioning unnecessary; the cached sampler
 * relies on this. Only the masked positions' outputs are used (carry-over unmasking).
 */
@FunctionalInterface
public interface TokenDenoiser {
    Variable logits(int[] z, int n, int l);
}
