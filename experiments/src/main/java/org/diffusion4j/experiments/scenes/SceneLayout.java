package org.diffusion4j.experiments.scenes;

/**
 * The geometry of a scene canvas. The canvas is 32x32; each position is a 16x16 cell:
 *
 * <pre>
 *   LEFT   columns  0..15, rows  8..23        TOP    columns 8..23, rows  0..15
 *   RIGHT  columns 16..31, rows  8..23        BOTTOM columns 8..23, rows 16..31
 *   CENTRE columns  8..23, rows  8..23
 * </pre>
 *
 * An item is a Fashion-MNIST image resized (area averaging) to a square box centred in its cell: 14x14 when
 * LARGE, 10x10 when SMALL. The one-pixel margin of a large box keeps two items of one scene apart (at least
 * two background columns or rows between them). Brightness scales the item's normalised intensity: LIGHT by
 * 1, DARK by 0.45 (intensity u in [0, 1] is the pixel x in [-1, 1] as u = (x + 1) / 2).
 */
public final class SceneLayout {
    /** Canvas side in pixels. */
    public static final int CANVAS = 32;
    /** Side of a position's cell. */
    public static final int CELL = 16;
    /** Box sides of the two sizes. */
    public static final int LARGE_SIDE = 14, SMALL_SIDE = 10;
    /** Intensity scale of the two brightnesses. */
    public static final double LIGHT_GAIN = 1.0, DARK_GAIN = 0.45;

    private SceneLayout() { }

    /** Left column of a position's cell. */
    public static int cellX(Position p) {
        return switch (p) {
            case LEFT -> 0;
            case RIGHT -> 16;
            case TOP, BOTTOM, CENTRE -> 8;
        };
    }

    /** Top row of a position's cell. */
    public static int cellY(Position p) {
        return switch (p) {
            case TOP -> 0;
            case BOTTOM -> 16;
            case LEFT, RIGHT, CENTRE -> 8;
        };
    }

    /** The centre of a position's cell as (x, y) in pixel coordinates (pixel i covers [i, i + 1)). */
    public static double[] centre(Position p) { return new double[]{cellX(p) + CELL / 2.0, cellY(p) + CELL / 2.0}; }

    public static int side(Size s) { return s == Size.LARGE ? LARGE_SIDE : SMALL_SIDE; }

    public static double gain(Brightness b) { return b == Brightness.LIGHT ? LIGHT_GAIN : DARK_GAIN; }

    /** Left column of an item's box. */
    public static int boxX(SceneItem it) { return cellX(it.pos()) + (CELL - side(it.size())) / 2; }

    /** Top row of an item's box. */
    public static int boxY(SceneItem it) { return cellY(it.pos()) + (CELL - side(it.size())) / 2; }
}
