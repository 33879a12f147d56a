package org.diffusion4j.experiments.scenes;

/** How large an item is drawn on the canvas ({@link SceneLayout#side(Size)} gives the pixels). */
public enum Size { SMALL, LARGE }
