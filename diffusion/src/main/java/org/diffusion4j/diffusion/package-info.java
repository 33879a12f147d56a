/**
 * diffusion4j's diffusion layer: DDPM, NCSN and score-SDE models on top of the tensor engine and autograd.
 *
 * <ul>
 *   <li>{@code schedule}: discrete noise schedules (linear, scaled-linear, cosine, sigmoid, zero-terminal-SNR), timestep
 *       spacings, NCSN and Karras noise levels, and {@code MarginalProcess}, the one view of a process's marginals;</li>
 *   <li>{@code ddpm}: the discrete chain of Ho et al. 2020 (forward, posterior, variational bound in bits/dim);</li>
 *   <li>{@code sde}: VP, sub-VP, VE and EDM SDEs, the reverse SDE and the probability-flow ODE;</li>
 *   <li>{@code model}: the {@code Denoiser} interface every sampler uses, NFE counting, and analytic Gaussian mixtures
 *       with exact scores at every noise level ({@code AnalyticModels.byName});</li>
 *   <li>{@code param}: parameterisations (epsilon, x0, v, score, EDM) turning a network into a denoiser;</li>
 *   <li>{@code objective}: the denoising objectives (DDPM, NCSN, continuous score matching, EDM, Min-SNR);</li>
 *   <li>{@code sampler}: the samplers and their registry ({@code Samplers.byName});</li>
 *   <li>{@code likelihood}: exact likelihood via the probability-flow ODE, bits/dim;</li>
 *   <li>{@code net}: an MLP for toy data and the reference UNet ("UNet-S").</li>
 * </ul>
 * The mathematics, in the code's notation, is in {@code docs/math/}.
 */
package org.diffusion4j.diffusion;
