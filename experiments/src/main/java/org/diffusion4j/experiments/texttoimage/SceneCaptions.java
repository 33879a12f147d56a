package org.diffusion4j.experiments.texttoimage;

import org.diffusion4j.experiments.scenes.CaptionedScenes;
import org.diffusion4j.experiments.scenes.SceneLayout;
import org.diffusion4j.experiments.train.CaptionedImages;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.util.List;

/**
 * The captioned scenes as training data: canvas i [1, 32, 32] with caption i. The captions are drawn once (a batch
 * then only draws its canvases); the canvases are drawn per batch, as pure functions of the scene index.
 */
public final class SceneCaptions implements CaptionedImages {
    private final CaptionedScenes scenes;
    private final List<String> captions;

    /** @param captions scenes.captions(), when the caller has them already (building the tokenizer), else null */
    public SceneCaptions(CaptionedScenes scenes, List<String> captions) {
        this.scenes = scenes;
        this.captions = List.copyOf(captions == null ? scenes.captions() : captions);
        if (this.captions.size() != scenes.size()) throw new IllegalArgumentException(this.captions.size() + " captions for "
                + scenes.size() + " scenes");
    }

    @Override public int size() { return scenes.size(); }

    @Override public int[] sampleShape() { return new int[]{1, SceneLayout.CANVAS, SceneLayout.CANVAS}; }

    @Override public Tensor images(Backend backend, DType dtype, int[] indices) {
        float[] canvases = scenes.canvases(indices);
        double[] d = new double[canvases.length];
        for (int i = 0; i < d.length; i++) d[i] = canvases[i];
        return Tensor.of(backend, dtype, d, indices.length, 1, SceneLayout.CANVAS, SceneLayout.CANVAS);
    }

    @Override public String caption(int index) { return captions.get(index); }

    public List<String> captions() { return captions; }
}
