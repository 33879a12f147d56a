package org.diffusion4j.experiments.audio;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.experiments.eval.ClassifierTrainer;
import org.diffusion4j.experiments.train.EpochOrder;
import org.diffusion4j.nn.Init;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.optim.LearningRateSchedule;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.io.PrintWriter;

/**
 * Trains {@link DigitClassifier} on the training voices with cross-entropy, AdamW (lr 3e-3, weight decay 1e-4) under
 * a linear warmup and cosine decay, batch 64, no augmentation; the test voices (never heard in training) give its
 * accuracy. Initial weights come from {@link Init#seeded}(seed), epoch e's order from {@link EpochOrder}(seed).
 */
public final class DigitClassifierTrainer {
    public static final int BATCH = 64;
    public static final double LEARNING_RATE = 3e-3, WEIGHT_DECAY = 1e-4;

    /** The trained model, its accuracy on the test voices, and the seconds it took. */
    public record Result(DigitClassifier model, double testAccuracy, double seconds) {}

    private final Backend backend;
    private final PrintWriter log;

    public DigitClassifierTrainer(Backend backend, PrintWriter log) {
        this.backend = backend;
        this.log = log;
    }

    public Result train(AudioDataset train, AudioDataset test, int epochs, long seed) {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        if (train.size() < BATCH) throw new IllegalArgumentException("the training split holds " + train.size()
                + " clips; at least one batch of " + BATCH + " is needed");
        long start = System.nanoTime();
        DigitClassifier model;
        try (Init init = Init.seeded(seed, backend, DType.F32)) { model = new DigitClassifier(); }
        model.train();
        AdamW optimizer = new AdamW(model.namedParameters(), LEARNING_RATE, 0.9, 0.999, 1e-8, WEIGHT_DECAY);
        double[][] clips = DigitFeatures.clips(train);
        int stepsPerEpoch = train.size() / BATCH;
        long total = (long) epochs * stepsPerEpoch;
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(LEARNING_RATE, Math.min(100, total / 10), total, 0);
        EpochOrder order = new EpochOrder(train.size(), seed, "digit-classifier");
        for (int epoch = 0; epoch < epochs; epoch++) {
            double lossSum = 0;
            for (int b = 0; b < stepsPerEpoch; b++) {
                long step = (long) epoch * stepsPerEpoch + b;
                lossSum += step(model, backend, optimizer, schedule, step, order.indices(step, BATCH), clips, train);
                if ((b + 1) % 20 == 0) {
                    log.printf("epoch %d step %d/%d loss %.4f (%.0f s)%n", epoch + 1, b + 1, stepsPerEpoch, lossSum / (b + 1),
                            (System.nanoTime() - start) / 1e9);
                    log.flush();
                }
            }
            model.eval();
            double accuracy = DigitFeatures.accuracy(model, test, backend);
            model.train();
            log.printf("epoch %d done: train loss %.4f, test-voice accuracy %.4f (%.0f s)%n", epoch + 1, lossSum / stepsPerEpoch,
                    accuracy, (System.nanoTime() - start) / 1e9);
            log.flush();
        }
        model.eval();
        return new Result(model, DigitFeatures.accuracy(model, test, backend), (System.nanoTime() - start) / 1e9);
    }

    /** One optimiser step on the clips at idx; returns the batch's loss. */
    static double step(DigitClassifier model, Backend backend, AdamW optimizer, LearningRateSchedule schedule, long step, int[] idx,
                       double[][] clips, AudioDataset data) {
        try (Scope s = Scope.open()) {
            schedule.apply(optimizer, step);
            optimizer.zeroGrad();
            Tensor x = DigitFeatures.inputs(clips, idx, backend);
            Variable loss = ClassifierTrainer.crossEntropy(model.forward(Variable.constant(x)), data.labels(idx));
            loss.backward();
            optimizer.step();
            return loss.value().item();
        }
    }
}
