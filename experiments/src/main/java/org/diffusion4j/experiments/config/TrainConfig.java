package org.diffusion4j.experiments.config;

/**
 * Everything a training run depends on: the run is a pure function of this record (and the code).
 * Every field has a default, so a config file names only what differs; the run folder's config.json holds
 * the fully resolved record. Read with {@link ConfigLoader}, which rejects unknown keys, wrong types and
 * out-of-range values.
 *
 * @param name   the run's name, and its folder under runs/
 * @param seed   the seed of every random stream of the run (data order, noise, dropout, initialisation)
 * @param device auto, cpu, opencl or opencl:N
 * @param dtype  f32 or f64
 * @param precision strict, tf32 or 3xtf32: the precision policy of F32 matmul and convolutions (see
 *               {@link org.diffusion4j.tensor.Precision}); --precision and D4J_PRECISION override it
 */
public record TrainConfig(String name, Long seed, String device, String dtype, DataConfig data, ModelConfig model,
                          DiffusionConfig diffusion, OptimizerConfig optimizer, TrainingConfig training,
                          CheckpointConfig checkpoint, SamplingConfig sampling, String precision) {
    public TrainConfig {
        if (name == null) name = "run";
        if (seed == null) seed = 0L;
        if (device == null) device = "auto";
        if (dtype == null) dtype = "f32";
        if (data == null) data = DataConfig.defaults();
        if (model == null) model = ModelConfig.defaults();
        if (diffusion == null) diffusion = DiffusionConfig.defaults();
        if (optimizer == null) optimizer = OptimizerConfig.defaults();
        if (training == null) training = TrainingConfig.defaults();
        if (checkpoint == null) checkpoint = CheckpointConfig.defaults();
        if (sampling == null) sampling = SamplingConfig.defaults();
        if (precision == null) precision = "strict";
    }
}
