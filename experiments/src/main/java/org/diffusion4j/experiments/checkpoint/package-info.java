/**
 * A run's checkpoints folder: atomic safetensors checkpoints, the newest K kept, and restore of the newest one
 * that reads completely ({@link org.diffusion4j.experiments.checkpoint.CheckpointStore}).
 */
package org.diffusion4j.experiments.checkpoint;
