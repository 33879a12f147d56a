package org.diffusion4j.experiments.texttoimage;

import org.diffusion4j.experiments.scenes.CaptionedScenes;
import org.diffusion4j.experiments.scenes.SceneLayout;
import org.diffusion4j.experiments.train.CaptionedImages;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/** The captioned scenes as training data: canvas i [1, 32, 32] with caption i. */
public final class SceneCaptions implements CaptionedImages {
    private final CaptionedScenes scenes;

    public SceneCaptions(CaptionedScenes scenes) { this.scenes = scenes; }

    @Override public int size() { return scenes.size(); }

    @Override public int[] sampleShape() { return new int[]{1, SceneLayout.CANVAS, SceneLayout.CANVAS}; }

    @Override public Tensor images(Backend backend, DType dtype, int[] indices) {
        float[] canvases = scenes.canvases(indices);
        double[] d = new double[canvases.length];
        for (int i = 0; i < d.length; i++) d[i] = canvases[i];
        return Tensor.of(backend, dtype, d, indices.length, 1, SceneLayout.CANVAS, SceneLayout.CANVAS);
    }

    @Override public String caption(int index) { return scenes.scene(index).caption(); }
}
