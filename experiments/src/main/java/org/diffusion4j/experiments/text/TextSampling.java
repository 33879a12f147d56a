package org.diffusion4j.experiments.text;

import org.diffusion4j.diffusion.text.AbsorbingProcess;
import org.diffusion4j.diffusion.text.AncestralUnmaskingSampler;
import org.diffusion4j.diffusion.text.AutoregressiveObjective;
import org.diffusion4j.diffusion.text.MaskingSchedule;
import org.diffusion4j.diffusion.text.TokenDenoiser;
import org.diffusion4j.nn.TokenTransformer;
import org.diffusion4j.tensor.Backend;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code d4j sample --run DIR --n N --length L} for a text run: prints N samples of L characters, then one line with
 * the sampler, its steps and the network evaluations. A diffusion run samples by cached ancestral unmasking
 * (default 128 steps), an autoregressive run left to right (L evaluations).
 */
public final class TextSampling {
    private TextSampling() { }

    /** The summary of one sampling: the texts and the NFE. */
    public record Printed(String[] texts, int nfe) { }

    public static Printed sample(Path run, Backend backend, int n, int length, Integer steps, long seed, PrintWriter out)
            throws IOException {
        TextRunFolder.Stored stored = TextRunFolder.readSpec(run);
        TextModelSpec spec = stored.spec();
        if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
        if (length < 1 || length > spec.length()) throw new IllegalArgumentException("--length " + length + ": the text run "
                + run + " was trained on windows of " + spec.length() + " characters; give --length 1.." + spec.length());
        TokenTransformer net = TextRunFolder.load(run, backend);
        TokenDenoiser d = net::forward;
        int[] tokens;
        int nfe;
        String how;
        if (spec.kind() == TextModelSpec.Kind.DIFFUSION) {
            int t = steps == null ? 128 : steps;
            AncestralUnmaskingSampler s = new AncestralUnmaskingSampler(
                    new AbsorbingProcess(MaskingSchedule.named(spec.schedule()), CharVocabulary.SIZE), t, true);
            var r = s.sample(d, n, length, seed);
            tokens = r.tokens();
            nfe = r.nfe();
            how = "masked diffusion, cached ancestral unmasking, " + t + " steps";
        } else {
            if (steps != null) throw new IllegalArgumentException("--steps: an autoregressive run samples left to right, "
                    + "one step per character; leave --steps out");
            tokens = new AutoregressiveObjective(CharVocabulary.SIZE).sample(d, n, length, seed);
            nfe = length;
            how = "autoregressive, left to right";
        }
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) {
            texts[i] = CharVocabulary.decode(tokens, i * length, length);
            out.println("--- sample " + i);
            out.println(texts[i]);
        }
        out.printf("%s: %d samples of %d characters, NFE %d%n", how, n, length, nfe);
        out.flush();
        return new Printed(texts, nfe);
    }
}
