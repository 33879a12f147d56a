package org.diffusion4j.experiments.eval;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.nn.Init;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.optim.LearningRateSchedule;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Trains {@link FmnistClassifier} with cross-entropy, AdamW (lr 3e-3, weight decay 1e-4) under a linear
 * warmup and cosine decay, batch 128, no augmentation (the few epochs two shared CPU cores allow do not
 * overfit). Everything random is keyed by the seed: the initial weights ({@link Init#seeded}) and the
 * shuffle of epoch e (Philox stream e).
 */
public final class ClassifierTrainer {
    public static final int BATCH = 128;
    public static final double LEARNING_RATE = 3e-3, WEIGHT_DECAY = 1e-4;

    /** What a training run produced: the model and its test accuracy. */
    public record Result(FmnistClassifier model, double testAccuracy, double seconds) { }

    private final Backend backend;
    private final PrintWriter log;

    public ClassifierTrainer(Backend backend, PrintWriter log) {
        this.backend = backend;
        this.log = log;
    }

    public Result train(ImageDataset train, ImageDataset test, int epochs, long seed) {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        long start = System.nanoTime();
        FmnistClassifier model;
        try (Init init = Init.seeded(seed, backend, DType.F32)) { model = new FmnistClassifier(); }
        model.train();
        AdamW optimizer = new AdamW(model.namedParameters(), LEARNING_RATE, 0.9, 0.999, 1e-8, WEIGHT_DECAY);
        int stepsPerEpoch = train.size() / BATCH;      // the last partial batch of each shuffle is dropped
        long total = (long) epochs * stepsPerEpoch;
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(LEARNING_RATE, Math.min(200, total / 10), total, 0);
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = PhiloxShuffle.permutation(train.size(), seed, epoch);
            double lossSum = 0;
            for (int b = 0; b < stepsPerEpoch; b++, step++) {
                int[] idx = Arrays.copyOfRange(order, b * BATCH, (b + 1) * BATCH);
                try (Scope s = Scope.open()) {
                    schedule.apply(optimizer, step);
                    optimizer.zeroGrad();
                    Tensor x = train.batch(backend, DType.F32, idx, null);
                    Variable loss = crossEntropy(model.forward(Variable.constant(x)), train.labels(idx));
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.value().item();
                }
                if ((b + 1) % 100 == 0) {
                    log.printf("epoch %d step %d/%d loss %.4f (%.0f s)%n", epoch + 1, b + 1, stepsPerEpoch,
                            lossSum / (b + 1), (System.nanoTime() - start) / 1e9);
                    log.flush();
                }
            }
            model.eval();
            double accuracy = ClassifierFeatures.accuracy(model, test, backend);
            model.train();
            log.printf("epoch %d done: train loss %.4f, test accuracy %.4f (%.0f s)%n", epoch + 1,
                    lossSum / stepsPerEpoch, accuracy, (System.nanoTime() - start) / 1e9);
            log.flush();
        }
        model.eval();
        double accuracy = ClassifierFeatures.accuracy(model, test, backend);
        return new Result(model, accuracy, (System.nanoTime() - start) / 1e9);
    }

    /** Mean cross-entropy -log softmax(logits)[label] over the batch. */
    public static Variable crossEntropy(Variable logits, int[] labels) {
        int n = logits.shape(0), c = logits.shape(1);
        double[] oneHot = new double[n * c];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) throw new IllegalArgumentException("label " + labels[i] + " of row " + i
                    + " is outside 0.." + (c - 1));
            oneHot[i * c + labels[i]] = 1;
        }
        Tensor target = Tensor.of(logits.backend(), logits.dtype(), oneHot, n, c);
        return logits.logSoftmax(1).mul(target).sum().mul(-1.0 / n);
    }
}
