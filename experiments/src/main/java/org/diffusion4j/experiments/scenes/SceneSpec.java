package org.diffusion4j.experiments.scenes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The structured content of one canvas: one or two {@link SceneItem}s. Two items sit LEFT and RIGHT or TOP and
 * BOTTOM (the cells that do not overlap). The items are kept in the order of their positions (LEFT, RIGHT, TOP,
 * BOTTOM, CENTRE), so two specs with the same items are equal whatever order a caption named them in.
 */
public record SceneSpec(List<SceneItem> items) {
    public SceneSpec {
        if (items == null || items.isEmpty() || items.size() > 2) throw new IllegalArgumentException(
                "a scene holds 1 or 2 items, got " + (items == null ? "none" : items.size() + ": " + items));
        for (SceneItem it : items) if (it == null) throw new IllegalArgumentException("a scene item is null in " + items);
        List<SceneItem> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(SceneItem::pos));
        if (sorted.size() == 2) {
            Position a = sorted.get(0).pos(), b = sorted.get(1).pos();
            boolean ok = (a == Position.LEFT && b == Position.RIGHT) || (a == Position.TOP && b == Position.BOTTOM);
            if (!ok) throw new IllegalArgumentException("two items must sit LEFT and RIGHT or TOP and BOTTOM (cells that do "
                    + "not overlap), got " + a + " and " + b);
        }
        items = List.copyOf(sorted);
    }

    public static SceneSpec of(SceneItem... items) { return new SceneSpec(List.of(items)); }

    public int count() { return items.size(); }

    public SceneItem item(int i) { return items.get(i); }

    @Override public String toString() { return items.stream().map(SceneItem::toString).collect(Collectors.joining(" + ")); }
}
