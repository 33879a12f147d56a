/**
 * Training configs: the {@link org.diffusion4j.experiments.config.TrainConfig} records (every key has a
 * default) and {@link org.diffusion4j.experiments.config.ConfigLoader}, which reads YAML or JSON strictly,
 * applies {@code --set} overrides and names the key, the value and what is allowed for any bad entry.
 */
package org.diffusion4j.experiments.config;
