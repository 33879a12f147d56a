package org.diffusion4j.optim;

/**
 * The learning rate as a function of the 0-based index of the step about to be taken. Linear warmup
 * multiplies the base rate by (step + 1) / warmup for step &lt; warmup; the cosine decay (Loshchilov and
 * Hutter, SGDR, ICLR 2017) then goes from base to min over the remaining steps:
 * lr = min + (base - min) (1 + cos(pi * progress)) / 2, progress = (step - warmup) / (total - warmup), held at
 * min after total.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double at(long step);

    /** Applies the schedule's rate for step to the optimizer and returns it. */
    default double apply(Optimizer optimizer, long step) {
        double lr = at(step);
        optimizer.setLearningRate(lr);
        return lr;
    }

    static LearningRateSchedule constant(double lr) {
        check(lr);
        return step -> lr;
    }

    static LearningRateSchedule warmupConstant(double lr, long warmup) {
        check(lr);
        if (warmup < 0) throw new IllegalArgumentException("warmup steps must be >= 0, got " + warmup);
        return step -> step < warmup ? lr * (step + 1) / warmup : lr;
    }

    static LearningRateSchedule warmupCosine(double lr, long warmup, long total, double minLr) {
        check(lr);
        if (warmup < 0 || total <= warmup) throw new IllegalArgumentException("cosine schedule needs 0 <= warmup < total, got warmup "
                + warmup + " and total " + total);
        if (!(minLr >= 0 && minLr <= lr)) throw new IllegalArgumentException("cosine schedule needs 0 <= minLr <= lr, got " + minLr);
        return step -> {
            if (step < warmup) return lr * (step + 1) / warmup;
            double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
            return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    private static void check(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
}
