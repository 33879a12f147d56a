package org.diffusion4j.experiments.scenes;

import org.diffusion4j.experiments.data.FashionMnist;

import java.util.Locale;

/** One item of a scene: a Fashion-MNIST class (0..9) drawn at a size, a position and a brightness. */
public record SceneItem(int fashionClass, Size size, Position pos, Brightness brightness) {
    public SceneItem {
        if (fashionClass < 0 || fashionClass > 9) throw new IllegalArgumentException("scene item class " + fashionClass
                + " is outside the 10 Fashion-MNIST classes 0..9");
        if (size == null || pos == null || brightness == null) throw new IllegalArgumentException(
                "a scene item needs a size, a position and a brightness, got " + size + ", " + pos + ", " + brightness);
    }

    /** E.g. "small dark Sneaker at LEFT" (for messages and reports; captions are {@link CaptionWriter}'s). */
    @Override public String toString() {
        return size.name().toLowerCase(Locale.ROOT) + " " + brightness.name().toLowerCase(Locale.ROOT) + " "
                + FashionMnist.CLASS_NAMES[fashionClass] + " at " + pos;
    }
}
