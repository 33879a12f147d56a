package org.diffusion4j.experiments.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Refuses, before the config is bound, what YAML allows but a config must not hold, each with a message
 * naming the key and the line: a document larger than {@link #MAX_CHARS}; nesting deeper than
 * {@link #MAX_DEPTH}; a key given twice in one mapping (YAML 1.2 requires keys to be unique, and the binder
 * would silently keep the last); an alias ({@code *name}), which the binder would read as the literal text
 * "name" instead of the anchored value, so it is refused rather than misread; a key that is not a scalar.
 *
 * <p>It walks SnakeYAML's event stream (no tree is built, the parser keeps an explicit stack), so a hostile
 * document is refused in time linear in its length, which the size limit bounds.
 */
final class YamlGuard {
    /** Configs are a few kilobytes; this is far above any real one. */
    static final int MAX_CHARS = 1 << 20;
    /** The deepest config nests three levels (section, key, list); this is far above it. */
    static final int MAX_DEPTH = 32;

    private YamlGuard() { }

    /** One mapping or sequence being read: for a mapping, the keys seen (with their lines) and whether a key comes next. */
    private static final class Frame {
        final boolean mapping;
        final String path;
        final Map<String, Integer> keys = new HashMap<>();
        boolean keyNext = true;
        String lastKey;
        int index;

        Frame(boolean mapping, String path) {
            this.mapping = mapping;
            this.path = path;
        }

        /** The dotted path of the value about to be read in this frame. */
        String childPath() {
            if (mapping) return path.isEmpty() ? lastKey : path + "." + lastKey;
            return (path.isEmpty() ? "(root)" : path) + "[" + index + "]";
        }
    }

    static void check(String text) {
        if (text.length() > MAX_CHARS) {
            throw new ConfigException("(file)", "the document has " + text.length() + " characters; a config may have at most "
                    + MAX_CHARS);
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARS + 1);
        Deque<Frame> stack = new ArrayDeque<>();
        try {
            for (Event event : new Yaml(options).parse(new StringReader(text))) {
                if (event instanceof CollectionEndEvent) {
                    stack.pop();
                    continue;
                }
                if (!(event instanceof NodeEvent)) continue;  // stream and document boundaries
                Frame parent = stack.peek();
                String path = "(root)";
                if (parent != null && parent.mapping && parent.keyNext) {
                    key(parent, event);
                    continue;
                }
                if (parent != null) {
                    path = parent.childPath();
                    if (parent.mapping) parent.keyNext = true;
                    else parent.index++;
                }
                if (event instanceof AliasEvent alias) {
                    throw new ConfigException(path, "the YAML alias *" + alias.getAnchor() + " at line " + line(event)
                            + " is not supported (it would be read as the text '" + alias.getAnchor() + "'); write the value out");
                }
                if (event instanceof MappingStartEvent || event instanceof SequenceStartEvent) {
                    if (stack.size() >= MAX_DEPTH) {
                        throw new ConfigException(path, "nesting deeper than " + MAX_DEPTH + " levels at line " + line(event)
                                + "; a config nests a few levels");
                    }
                    stack.push(new Frame(event instanceof MappingStartEvent, path.equals("(root)") ? "" : path));
                }
            }
        } catch (YAMLException e) {
            throw new ConfigException("(file)", "not valid YAML or JSON: " + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
        }
    }

    /** A mapping's key: a scalar, not seen before in this mapping. */
    private static void key(Frame mapping, Event event) {
        if (!(event instanceof ScalarEvent scalar)) {
            String where = mapping.path.isEmpty() ? "(root)" : mapping.path;
            throw new ConfigException(where, "the key at line " + line(event) + " is "
                    + (event instanceof AliasEvent a ? "the alias *" + a.getAnchor() : "not a plain word")
                    + "; config keys are plain words");
        }
        String key = scalar.getValue();
        Integer first = mapping.keys.putIfAbsent(key, line(event));
        mapping.lastKey = key;
        mapping.keyNext = false;
        if (first != null) {
            throw new ConfigException(mapping.childPath(), "given twice (lines " + first + " and " + line(event)
                    + "); each key may appear once");
        }
    }

    private static int line(Event event) {
        Mark mark = event.getStartMark();
        return mark == null ? -1 : mark.getLine() + 1;
    }
}
