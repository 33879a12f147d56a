package org.diffusion4j.experiments.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * {@code --set key=value} overrides applied to the config tree before it is bound and checked. The key is
 * dotted ({@code optimizer.lr}); the value is read as a YAML scalar or flow list, so {@code 2e-4} is a
 * number, {@code true} a boolean, {@code [1,2,2]} a list and anything else a string. Whether the key exists
 * and the value has the right type is checked afterwards, with the rest of the config.
 */
final class Overrides {
    private Overrides() { }

    static void apply(ObjectNode root, List<String> assignments, ObjectMapper yaml) {
        for (String assignment : assignments) apply(root, assignment, yaml);
    }

    private static void apply(ObjectNode root, String assignment, ObjectMapper yaml) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(assignment, "an override must read key=value, e.g. optimizer.lr=1e-3");
        }
        String key = assignment.substring(0, eq).trim();
        String text = assignment.substring(eq + 1).trim();
        String[] parts = key.split("\\.", -1);
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) throw new ConfigException(key, "empty part in the dotted key");
            JsonNode child = parent.get(parts[i]);
            if (child == null || child.isNull()) {
                parent = parent.putObject(parts[i]);
            } else if (child instanceof ObjectNode object) {
                parent = object;
            } else {
                throw new ConfigException(String.join(".", List.of(parts).subList(0, i + 1)),
                        "is a value, not a section, so '" + key + "' cannot be set");
            }
        }
        String leaf = parts[parts.length - 1];
        if (leaf.isEmpty()) throw new ConfigException(key, "empty part in the dotted key");
        parent.set(leaf, parseValue(key, text, yaml));
    }

    private static JsonNode parseValue(String key, String text, ObjectMapper yaml) {
        if (text.isEmpty()) throw new ConfigException(key, "empty value in the override");
        try {
            JsonNode node = yaml.readTree(text);
            return node == null ? yaml.getNodeFactory().textNode(text) : node;
        } catch (JsonProcessingException e) {
            return yaml.getNodeFactory().textNode(text);
        }
    }
}
