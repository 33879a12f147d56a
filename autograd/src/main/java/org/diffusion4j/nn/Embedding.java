package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * A lookup table of {@code count} vectors of width E ("weight" [count, E]): ids of any shape S give [S..., E].
 * The gradient adds each output row into the row it came from (indexSelect's backward, indexAdd), so repeated ids
 * accumulate. Initialised U(-b, b) with b = 0.02 sqrt(3), i.e. standard deviation 0.02 as GPT-2's embeddings.
 */
public final class Embedding extends Module {
    private final int count, width;
    private final Parameter weight;

    public Embedding(int count, int width) {
        if (count < 1 || width < 1) throw new IllegalArgumentException("Embedding needs count >= 1 and width >= 1, got "
                + count + " x " + width);
        this.count = count;
        this.width = width;
        this.weight = registerParameter("weight", Init.uniform(0.02 * Math.sqrt(3), count, width));
    }

    public int count() { return count; }

    public int width() { return width; }

    public Parameter weight() { return weight; }

    /**
     * @param ids   row-major ids, each in [0, count)
     * @param shape the shape of ids; its product must be ids.length
     */
    public Variable forward(int[] ids, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != ids.length) throw new IllegalArgumentException("Embedding: " + ids.length + " ids do not fill shape "
                + java.util.Arrays.toString(shape));
        for (int id : ids) if (id < 0 || id >= count) throw new IllegalArgumentException("Embedding(" + count
                + "): id " + id + " is outside 0.." + (count - 1));
        int[] out = java.util.Arrays.copyOf(shape, shape.length + 1);
        out[shape.length] = width;
        return Variable.indexSelect(weight, 0, ids).reshape(out);
    }
}
