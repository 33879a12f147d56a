/**
 * Optimisers (SGD, Adam, AdamW), learning-rate schedules, gradient clipping and parameter EMA. Updates are
 * fused elementwise tensor ops on the parameters' backend, written in place, with state exportable for
 * checkpoints.
 */
package org.diffusion4j.optim;
