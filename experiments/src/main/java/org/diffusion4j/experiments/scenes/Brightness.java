package org.diffusion4j.experiments.scenes;

/** How bright an item is drawn: its pixels are scaled by {@link SceneLayout#gain(Brightness)}. */
public enum Brightness { DARK, LIGHT }
