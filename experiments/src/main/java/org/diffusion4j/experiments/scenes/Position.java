package org.diffusion4j.experiments.scenes;

/**
 * Where an item sits on the canvas: one of five 16x16 cells of the 32x32 canvas ({@link SceneLayout#cellX},
 * {@link SceneLayout#cellY}). Two items of one scene sit either LEFT and RIGHT or TOP and BOTTOM, the only pairs
 * of cells that do not overlap.
 */
public enum Position {
    LEFT, RIGHT, TOP, BOTTOM, CENTRE;

    /** The position across the canvas from this one (LEFT for RIGHT, TOP for BOTTOM); CENTRE has none. */
    public Position opposite() {
        return switch (this) {
            case LEFT -> RIGHT;
            case RIGHT -> LEFT;
            case TOP -> BOTTOM;
            case BOTTOM -> TOP;
            case CENTRE -> throw new IllegalArgumentException("CENTRE has no opposite position");
        };
    }
}
