package org.diffusion4j.experiments.audio;

import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.experiments.metrics.ClassifierScore;
import org.diffusion4j.experiments.metrics.FeatureStats;
import org.diffusion4j.experiments.metrics.FrechetDistance;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The scores of generated spoken digits on {@link DigitClassifier}: the recognition rate (the fraction of
 * conditional samples the classifier hears as the digit they were asked for), the classifier score (Inception Score
 * on the digit classifier, 1..10) and the Frechet distance between the 64 features of the generated clips and of the
 * test voices (FAD-style, Kilgour et al. 2019, on this classifier's embedding instead of VGGish).
 *
 * @param recognition the recognition rate, NaN for unconditional samples (no digit was asked for)
 */
public record DigitScores(int generated, int reference, double recognition, double classifierScore, double fd, int fdClamped) {

    /** Scores the generated clips' classifier outputs; asked[i] is sample i's digit, or asked is null (unconditional). */
    public static DigitScores compute(ClassifierFeatures.Output generated, int[] asked, ClassifierFeatures.Output reference) {
        if (generated.size() < 2 || reference.size() < 2) throw new IllegalArgumentException("scores need at least 2 generated and 2 "
                + "reference clips, got " + generated.size() + " and " + reference.size());
        double recognition = asked == null ? Double.NaN : recognitionRate(generated.predictions(), asked);
        FrechetDistance frechet = new FrechetDistance();
        double fd = frechet.between(FeatureStats.of(generated.features()), FeatureStats.of(reference.features()));
        return new DigitScores(generated.size(), reference.size(), recognition, ClassifierScore.of(generated.probabilities()), fd,
                frechet.clampedEigenvalues());
    }

    /** Fraction of i with predicted[i] == asked[i]. */
    public static double recognitionRate(int[] predicted, int[] asked) {
        if (predicted.length != asked.length || predicted.length == 0) throw new IllegalArgumentException(predicted.length
                + " predictions for " + asked.length + " asked digits; expected the same, non-zero count");
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == asked[i]) hits++;
        return hits / (double) predicted.length;
    }

    /** The scores by name (the keys of the JSON and of metrics.jsonl); the recognition rate only for conditional samples. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!Double.isNaN(recognition)) m.put("digit_recognition", recognition);
        m.put("classifier_score", classifierScore);
        m.put("fd_digits", fd);
        m.put("n_generated", generated);
        m.put("n_reference", reference);
        m.put("fd_clamped_eigenvalues", fdClamped);
        return m;
    }

    public String render() {
        String rec = Double.isNaN(recognition) ? "n/a (unconditional samples)" : String.format(Locale.ROOT, "%.4f", recognition);
        return String.format(Locale.ROOT, """
                digit recognition  %s   (fraction heard as the asked digit)
                classifier score   %.4f   (1..10)
                FD-digits          %.4f   (%d generated vs %d test-voice clips)
                """, rec, classifierScore, fd, generated, reference);
    }
}
