/**
 * The run folder runs/NAME/ ({@link org.diffusion4j.experiments.run.RunFolder}): resolved config, environment,
 * metrics as JSON lines ({@link org.diffusion4j.experiments.run.MetricsLog}), checkpoints, samples, report.
 */
package org.diffusion4j.experiments.run;
