package org.diffusion4j.experiments.metrics;

/**
 * The Inception-Score analogue on a domain classifier (Salimans et al. 2016, Sec. 4):
 * exp(E_x KL(p(y|x) || p(y))), where p(y) is the mean of the predicted class distributions. It lies between
 * 1 (every sample gets the same prediction) and the number of classes (confident and evenly spread).
 */
public final class ClassifierScore {
    private ClassifierScore() { }

    /** probabilities[i] is sample i's predicted class distribution (rows sum to 1). */
    public static double of(double[][] probabilities) {
        int n = probabilities.length, c = probabilities[0].length;
        double[] marginal = new double[c];
        for (double[] p : probabilities) for (int j = 0; j < c; j++) marginal[j] += p[j] / n;
        double klSum = 0;
        for (double[] p : probabilities) {
            for (int j = 0; j < c; j++) if (p[j] > 0) klSum += p[j] * (Math.log(p[j]) - Math.log(marginal[j]));
        }
        return Math.exp(klSum / n);
    }
}
