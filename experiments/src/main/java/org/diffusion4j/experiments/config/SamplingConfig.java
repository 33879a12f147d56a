package org.diffusion4j.experiments.config;

/**
 * Sample grids during training, always from the same noises (drawn from {@code seed}) so that the grids
 * of successive steps are comparable.
 *
 * @param every   a grid every this many steps (and at the end); 0 disables sampling during training
 * @param count   samples per grid
 * @param sampler the sampler's name (as {@code d4j sample --help} lists them)
 * @param steps   sampler steps
 * @param seed    seed of the fixed noises
 */
public record SamplingConfig(Integer every, Integer count, String sampler, Integer steps, Long seed) {
    public SamplingConfig {
        if (every == null) every = 1000;
        if (count == null) count = 64;
        if (sampler == null) sampler = "ddim";
        if (steps == null) steps = 50;
        if (seed == null) seed = 1234L;
    }

    public static SamplingConfig defaults() { return new SamplingConfig(null, null, null, null, null); }
}
