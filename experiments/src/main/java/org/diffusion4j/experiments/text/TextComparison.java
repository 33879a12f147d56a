package org.diffusion4j.experiments.text;

import org.diffusion4j.diffusion.text.AbsorbingProcess;
import org.diffusion4j.diffusion.text.AncestralUnmaskingSampler;
import org.diffusion4j.diffusion.text.AutoregressiveObjective;
import org.diffusion4j.diffusion.text.MaskedDiffusionObjective;
import org.diffusion4j.diffusion.text.MaskingSchedule;
import org.diffusion4j.diffusion.text.TokenDenoiser;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The like-for-like comparison of issue 19: a masked-diffusion LM and an autoregressive baseline of the same
 * TokenTransformer size, trained on the fortunes corpus for the same wall-clock budget each, then scored on the test
 * split (the baseline's exact bits per character; the diffusion model's bound with its standard error), with
 * samples at several step counts scored by the baseline (generative perplexity) and by their unigram entropy.
 * Prints a Markdown report; writes both models as text runs under the output folder.
 *
 * <pre>usage: TextComparison SECONDS_PER_MODEL OUT_DIR [TEST_WINDOWS [TIMES_PER_WINDOW [SAMPLES]]]</pre>
 * System properties: {@code d4j.backend} (default the CPU), {@code d4j.text.steps} (a step budget per model as well as
 * the time budget, whichever ends first: equal steps where the machine is shared and time is not a fair measure).
 */
public final class TextComparison {
    private TextComparison() { }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        Path out = Path.of(args[1]);
        int windows = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int times = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int samples = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        Backend backend = System.getProperty("d4j.backend") == null ? Backends.cpu() : Backends.select(System.getProperty("d4j.backend"));
        long steps = Long.parseLong(System.getProperty("d4j.text.steps", Long.toString(Long.MAX_VALUE)));
        run(seconds, steps, out, windows, times, samples, backend, System.out);
    }

    public static void run(double seconds, long maxSteps, Path out, int windows, int times, int samples, Backend backend,
                           PrintStream o) throws Exception {
        FortunesCorpus corpus = FortunesCorpus.load();
        o.println("## Corpus\n\n```\n" + corpus.summary() + "```\n");
        TextTrainer[] trainers = {new TextTrainer(TextModelSpec.small(TextModelSpec.Kind.DIFFUSION), backend),
                new TextTrainer(TextModelSpec.small(TextModelSpec.Kind.AUTOREGRESSIVE), backend)};
        int l = trainers[0].spec().length();
        TextWindows train = new TextWindows(corpus.ids(FortunesCorpus.Split.TRAIN), l);
        int[] test = new TextWindows(corpus.ids(FortunesCorpus.Split.TEST), l).consecutive(windows);
        o.println("## Training (" + backend.description() + ", " + seconds + " s each)\n");
        o.println("| model | parameters | steps | seconds | final running train loss (bits/char) |\n| --- | --- | --- | --- | --- |");
        for (TextTrainer t : trainers) {
            double[] last = {Double.NaN};
            long start = System.nanoTime();
            long steps = t.train(train, maxSteps, seconds, 20, s -> {
                last[0] = s.loss();
                System.err.printf("%s step %d loss %.4f %.1f s%n", t.spec().kind(), s.step(), s.loss(), s.seconds());
            });
            double took = (System.nanoTime() - start) / 1e9;
            TextRunFolder.write(out.resolve(t.spec().kind().name().toLowerCase(java.util.Locale.ROOT)), t, steps, took);
            o.printf("| %s | %d | %d | %.0f | %.4f |%n", t.spec().kind(), t.network().parameterCount(), steps, took, last[0]);
        }
        TokenDenoiser mdlm = trainers[0].denoiser(), ar = trainers[1].denoiser();
        MaskedDiffusionObjective objective = new MaskedDiffusionObjective(MaskingSchedule.named(trainers[0].spec().schedule()),
                CharVocabulary.SIZE);
        MaskedDiffusionObjective.Estimate bound = objective.estimate(mdlm, test, windows, l, times, 4242);
        TextEvaluation.Mean arBits = TextEvaluation.autoregressiveBits(ar, test, windows, l);
        o.printf("%n## Test split (first %d windows of %d characters)%n%n", windows, l);
        o.println("| model | test bits/char |\n| --- | --- |");
        o.printf("| diffusion (negative ELBO, %d times per window) | %.4f +- %.4f |%n", times, bound.bitsPerChar(), bound.standardError());
        o.printf("| autoregressive (exact NLL) | %.4f +- %.4f |%n", arBits.mean(), arBits.standardError());
        o.printf("%nratio diffusion / autoregressive: %.3f (goal: <= 1.15)%n", bound.bitsPerChar() / arBits.mean());

        o.println("\n## Samples (" + samples + " of " + l + " characters)\n");
        o.println("| source | steps | NFE | generative bits/char under AR (perplexity) | unigram entropy (bits) |\n| --- | --- | --- | --- | --- |");
        int[] ref = java.util.Arrays.copyOf(test, samples * l);
        row(o, "test split", "-", "-", TextEvaluation.autoregressiveBits(ar, ref, samples, l), TextEvaluation.unigramEntropyBits(test));
        AbsorbingProcess process = objective.process();
        String shown = null;
        for (int steps : new int[]{16, 64, 128, 1024}) {
            var r = new AncestralUnmaskingSampler(process, steps, true).sample(mdlm, samples, l, 7);
            int plainNfe = steps;
            row(o, "diffusion (cached)", Integer.toString(steps), r.nfe() + " (uncached " + plainNfe + ")",
                    TextEvaluation.autoregressiveBits(ar, r.tokens(), samples, l), TextEvaluation.unigramEntropyBits(r.tokens()));
            if (steps == 128) shown = text(r.tokens(), samples, l);
        }
        int[] arSamples = new AutoregressiveObjective(CharVocabulary.SIZE).sample(ar, samples, l, 7);
        row(o, "autoregressive", "-", Integer.toString(l), TextEvaluation.autoregressiveBits(ar, arSamples, samples, l),
                TextEvaluation.unigramEntropyBits(arSamples));
        o.println("\nDiffusion samples, 128 steps:\n\n```\n" + shown + "```\n");
        o.println("Autoregressive samples:\n\n```\n" + text(arSamples, samples, l) + "```");
    }

    private static void row(PrintStream o, String source, String steps, String nfe, TextEvaluation.Mean bits, double entropy) {
        o.printf("| %s | %s | %s | %.3f (%.2f) | %.3f |%n", source, steps, nfe, bits.mean(), Math.pow(2, bits.mean()), entropy);
    }

    /** Each sequence on one line, newlines shown as the two characters backslash n. */
    static String text(int[] tokens, int n, int l) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(CharVocabulary.decode(tokens, i * l, l).replace("\n", "\\n")).append('\n');
        return b.toString();
    }
}
