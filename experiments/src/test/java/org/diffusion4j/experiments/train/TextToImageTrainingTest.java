package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.TextConditionedUNet;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.ConfigException;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.run.MetricsLog;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A tiny text-to-image run (text encoder + cross-attention UNet on 8x8 synthetic captioned images, caption dropout
 * 0.3) trains, saves the encoder in its checkpoints, and resumes bitwise like every other run.
 */
class TextToImageTrainingTest {
    static final String YAML = """
            name: tiny-text
            seed: 3
            device: cpu
            data: {dataset: captioned-scenes, scenes: 7}
            model: {type: text-unet, channels: 32, multipliers: [1, 2], attentionLevels: [1], resBlocks: 1, dropout: 0.1,
                    textWidth: 8, textDepth: 1, textHeads: 2, crossHeads: 2, captionLength: 5}
            diffusion: {objective: eps, timesteps: 50, betaEnd: 0.2}
            optimizer: {lr: 0.003, warmupSteps: 2}
            training: {batchSize: 3, steps: 6, emaDecay: 0.9, labelDropout: 0.3, logEvery: 1}
            checkpoint: {every: 2, keepLast: 3}
            sampling: {every: 0}
            """;

    /** Seven 8x8 images of Philox noise, each with a caption of known words. */
    static final class SyntheticCaptions implements CaptionedImages {
        static final List<String> CAPTIONS = List.of("a bag", "a small left bag", "two shirts", "a dark boot",
                "a bag on the right", "a light shirt", "a boot at the top");

        @Override public int size() { return CAPTIONS.size(); }

        @Override public int[] sampleShape() { return new int[]{1, 8, 8}; }

        @Override public Tensor images(Backend backend, DType dtype, int[] indices) {
            Tensor[] rows = new Tensor[indices.length];
            for (int i = 0; i < indices.length; i++) rows[i] = Tensor.randn(backend, dtype, 77, indices[i], 1, 1, 8, 8).clamp(-1, 1);
            return Tensor.concat(0, rows);
        }

        @Override public String caption(int index) { return CAPTIONS.get(index); }
    }

    /** Word-level ids: pad 0, then the words in order of first appearance. */
    static final class SyntheticTokenizer implements CaptionTokenizer {
        private final Map<String, Integer> ids = new LinkedHashMap<>();

        SyntheticTokenizer() {
            for (String c : SyntheticCaptions.CAPTIONS) for (String w : c.split(" ")) ids.putIfAbsent(w, ids.size() + 1);
        }

        @Override public int vocabulary() { return ids.size() + 1; }

        @Override public int pad() { return 0; }

        @Override public int[] encode(String caption, int maxLength) {
            String[] words = caption.split(" ");
            if (words.length > maxLength) throw new IllegalArgumentException("caption too long: " + caption);
            int[] out = new int[maxLength];
            for (int i = 0; i < words.length; i++) {
                Integer id = ids.get(words[i]);
                if (id == null) throw new IllegalArgumentException("unknown word '" + words[i] + "'");
                out[i] = id;
            }
            return out;
        }
    }

    private static final class Run {
        final TrainConfig config = ConfigLoader.parse(YAML, List.of());
        final RunFolder folder;
        final StringWriter log = new StringWriter();
        final TextConditionedUNet network;

        Run(Path root, boolean resume) {
            folder = RunFolder.prepare(root, config, resume);
            network = new TrainingSetup(config, Backends.cpu()).textNetwork(new int[]{1, 8, 8}, new SyntheticTokenizer().vocabulary());
        }

        Trainer trainer() {
            TrainingSetup setup = new TrainingSetup(config, Backends.cpu());
            BatchSource data = new CaptionBatchSource(new SyntheticCaptions(), new SyntheticTokenizer(), 5, config.seed(),
                    Backends.cpu(), DType.F32);
            return new Trainer(config, folder, network, setup.objective(), data, null,
                    Progress.lines("tiny-text", 0, config.training().steps(), 1, new PrintWriter(log, true)));
        }
    }

    @Test void batchesCarryTheCaptionsTokenIdsPaddedToTheCaptionLength() {
        BatchSource data = new CaptionBatchSource(new SyntheticCaptions(), new SyntheticTokenizer(), 5, 3, Backends.cpu(), DType.F32);
        Batch b = data.batch(0, 3), again = data.batch(0, 3);
        assertEquals(b.condition().tokens(), again.condition().tokens(), "a batch is a pure function of its step");
        assertArrayEquals(new int[]{3, 1, 8, 8}, b.x0().shape());
        assertEquals(5, b.condition().tokens().length());
        SyntheticTokenizer tok = new SyntheticTokenizer();
        // the batch's images and captions stay paired: image i is SyntheticCaptions' image at the same index
        int[] first = b.condition().tokens().ids();
        boolean found = false;
        for (int k = 0; k < SyntheticCaptions.CAPTIONS.size(); k++) {
            if (java.util.Arrays.equals(tok.encode(SyntheticCaptions.CAPTIONS.get(k), 5), java.util.Arrays.copyOf(first, 5))) {
                assertArrayEquals(new SyntheticCaptions().images(Backends.cpu(), DType.F32, new int[]{k}).toFloatArray(),
                        b.x0().narrow(0, 0, 1).toFloatArray());
                found = true;
            }
        }
        assertTrue(found, "the first caption is one of the set's");
    }

    @Test void aStoppedAndResumedTextToImageRunEndsBitwiseIdenticalToAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Run straight = new Run(dir.resolve("a"), false);
        Trainer.Result a = straight.trainer().run(false);
        assertEquals(6, a.steps());
        // the checkpoint holds the text encoder with the UNet (training weights and EMA)
        var names = Safetensors.read(a.lastCheckpoint(), Backends.cpu()).tensors().keySet();
        assertTrue(names.stream().anyMatch(n -> n.contains("text.tokens.weight")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.contains("unet.middle.cross.k.weight")), names.toString());

        Run interrupted = new Run(dir.resolve("b"), false);
        interrupted.trainer().interruptAfter(3).run(false);   // newest checkpoint: step 2
        interrupted.folder.close();
        Run resumed = new Run(dir.resolve("b"), true);
        Trainer.Result b = resumed.trainer().run(true);
        assertEquals(2, b.resumedFrom());
        assertArrayEquals(Files.readAllBytes(a.lastCheckpoint()), Files.readAllBytes(b.lastCheckpoint()));
        List<MetricsLog.Entry> ma = MetricsLog.read(straight.folder.metrics()), mb = MetricsLog.read(resumed.folder.metrics());
        assertEquals(6, mb.size());
        for (int i = 0; i < 6; i++) assertEquals(ma.get(i).loss(), mb.get(i).loss(), 0.0, "step " + (i + 1));
        assertTrue(Double.isFinite(a.lastLoss()));
    }

    @Test void captionDropoutEmptiesWholeCaptions() {
        BatchSource data = new CaptionBatchSource(new SyntheticCaptions(), new SyntheticTokenizer(), 5, 3, Backends.cpu(), DType.F32);
        Conditioning c = data.batch(1, 3).condition();
        Conditioning dropped = c.dropout(0.5, new double[]{0.9, 0.1, 0.7});
        int[] ids = dropped.tokens().ids(), before = c.tokens().ids();
        for (int j = 0; j < 5; j++) {
            assertEquals(before[j], ids[j]);
            assertEquals(0, ids[5 + j], "caption 1 is dropped: all pad");
            assertEquals(before[10 + j], ids[10 + j]);
        }
    }

    @Test void aTextUnetNeedsTheCaptionedDatasetAndViceVersa() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(YAML.replace("captioned-scenes", "fashion-mnist"), List.of()));
        assertTrue(e.getMessage().contains("text-unet"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(YAML, List.of("model.textHeads=3")));
        assertTrue(e.getMessage().contains("model.textHeads") && e.getMessage().contains("textWidth = 8"), e.getMessage());
    }
}
