package org.diffusion4j.experiments.scenes;

import java.util.List;

/**
 * The trivial text-to-image baseline's canvases: a class-conditional Fashion-MNIST model is given the first class
 * named in the prompt ({@link CaptionParser#firstClass}) and its 28x28 sample is drawn as one LARGE LIGHT item in
 * the CENTRE, whatever else the prompt asks. Scored by {@link PromptFollowingScore} like the text-to-image model.
 */
public final class BaselineCanvas {
    /** The item the baseline always draws, for a class. */
    public static SceneItem item(int fashionClass) { return new SceneItem(fashionClass, Size.LARGE, Position.CENTRE, Brightness.LIGHT); }

    private BaselineCanvas() { }

    /** The class the baseline's model is asked for, for each prompt. */
    public static int[] classes(List<String> prompts) {
        return prompts.stream().mapToInt(CaptionParser::firstClass).toArray();
    }

    /** The canvas of one 28x28 sample (784 values in [-1, 1]), drawn as {@link #item}. */
    public static float[] canvas(double[] sample28, int fashionClass) {
        return SceneCanvas.draw(SceneSpec.of(item(fashionClass)), new double[][]{sample28});
    }

    /** Canvases [N, 1, 32, 32] (flattened) of N samples [N, 1, 28, 28] (flattened, values in [-1, 1]). */
    public static float[] canvases(double[] samples28, int[] classes) {
        int per = 28 * 28;
        if (samples28.length != classes.length * per) throw new IllegalArgumentException("baseline samples hold "
                + samples28.length + " values, expected " + classes.length + " x 28x28 = " + classes.length * per);
        float[] out = new float[classes.length * SceneCanvas.PIXELS];
        for (int i = 0; i < classes.length; i++) {
            double[] one = java.util.Arrays.copyOfRange(samples28, i * per, (i + 1) * per);
            System.arraycopy(canvas(one, classes[i]), 0, out, i * SceneCanvas.PIXELS, SceneCanvas.PIXELS);
        }
        return out;
    }
}
