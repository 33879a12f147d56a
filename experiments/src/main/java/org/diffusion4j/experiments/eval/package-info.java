/**
 * Evaluation of generated Fashion-MNIST images (docs/evaluation.md): the feature network
 * {@link org.diffusion4j.experiments.eval.FmnistClassifier} and its training
 * ({@link org.diffusion4j.experiments.eval.ClassifierTrainer}), committed weights
 * ({@link org.diffusion4j.experiments.eval.ClassifierWeights}), batched features
 * ({@link org.diffusion4j.experiments.eval.ClassifierFeatures}), the checks on sample files
 * ({@link org.diffusion4j.experiments.eval.SampleImages}), the bundle of scores
 * ({@link org.diffusion4j.experiments.eval.Metrics}: FD-FMNIST, KID, precision/recall, classifier score) and the
 * reference floors with their baselines ({@link org.diffusion4j.experiments.eval.ReferenceFloors},
 * {@link org.diffusion4j.experiments.eval.Degradations}). The metric formulas live in
 * {@code org.diffusion4j.experiments.metrics}.
 */
package org.diffusion4j.experiments.eval;
