package org.diffusion4j.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An indexed list of child modules named "0", "1", ... (for names such as {@code down.1.res.conv1.weight}).
 * It has no forward of its own: the owner decides how the children are called.
 */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    @SafeVarargs
    public ModuleList(M... modules) { for (M m : modules) add(m); }

    public ModuleList<M> add(M module) {
        register(Integer.toString(items.size()), module);
        items.add(module);
        return this;
    }

    public M get(int index) {
        if (index < 0 || index >= items.size()) throw new IndexOutOfBoundsException("ModuleList: index " + index
                + " outside [0, " + items.size() + ")");
        return items.get(index);
    }

    public int size() { return items.size(); }

    @Override public Iterator<M> iterator() { return java.util.Collections.unmodifiableList(items).iterator(); }
}
