/**
 * Masked (absorbing-state) discrete diffusion for token sequences (Austin et al. 2021, D3PM; Sahoo et al. 2024,
 * MDLM; Shi et al. 2024, MD4): the continuous-time forward process that masks each token independently, the
 * negative ELBO as a weighted masked cross-entropy, ancestral unmasking samplers, and an analytic Markov-chain
 * language whose exact denoiser makes the bound testable. docs/math/masked-diffusion.md derives each piece.
 */
package org.diffusion4j.diffusion.text;
