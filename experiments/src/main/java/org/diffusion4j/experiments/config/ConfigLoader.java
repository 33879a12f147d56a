package org.diffusion4j.experiments.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads a {@link TrainConfig} from YAML or JSON (JSON is YAML, so one parser reads both), applies
 * {@code --set} overrides, binds strictly and checks every value. Strict means: an unknown key, a value of
 * the wrong type (a string where a number belongs, 1.5 where an integer belongs) or a value out of range is
 * a {@link ConfigException} naming the key, the value and what is allowed. Nothing is coerced. Before binding,
 * {@link YamlGuard} refuses duplicate keys, aliases, deep nesting and oversized documents.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ConfigLoader() { }

    /** Reads a file (YAML or JSON) and applies the overrides. */
    public static TrainConfig load(Path file, List<String> overrides) {
        String text;
        try {
            long size = Files.size(file);
            if (size > YamlGuard.MAX_CHARS) throw new ConfigException("(file)", "config file " + file + " has " + size
                    + " bytes; a config may have at most " + YamlGuard.MAX_CHARS);
            text = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("(file)", "config file " + file + " does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException("(file)", "config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("(file)", "cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, overrides);
    }

    /** Parses YAML or JSON text and applies the overrides. */
    public static TrainConfig parse(String text, List<String> overrides) {
        ObjectNode root = readTree(text);
        Overrides.apply(root, overrides, YAML);
        TrainConfig config = bind(root);
        ConfigValidator.check(config);
        return config;
    }

    /** The fully resolved config as pretty JSON (what config.json holds); {@link #parse} reads it back. */
    public static String toJson(TrainConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config as JSON", e);
        }
    }

    private static ObjectNode readTree(String text) {
        YamlGuard.check(text);
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("(file)", "not valid YAML or JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr());
        }
        if (node == null || node.isMissingNode() || node.isNull()) return YAML.createObjectNode();
        if (node instanceof ObjectNode object) return object;
        throw new ConfigException("(root)", node.toString(), "a mapping of keys to values");
    }

    private static TrainConfig bind(ObjectNode root) {
        try {
            return YAML.treeToValue(root, TrainConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String key = dottedPath(e.getPath());
            List<String> known = new ArrayList<>(new TreeSet<>(e.getKnownPropertyIds().stream().map(Object::toString).toList()));
            throw new ConfigException(key, "unknown key (value " + at(root, e.getPath()) + "); the keys allowed here are "
                    + String.join(", ", known));
        } catch (MismatchedInputException e) {
            String key = dottedPath(e.getPath());
            throw new ConfigException(key, at(root, e.getPath()), expectedType(e.getTargetType()));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) throw ce;
            throw new ConfigException(dottedPath(e.getPath()), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException("(root)", e.getOriginalMessage());
        }
    }

    private static String dottedPath(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }

    /** The value found at a path of the tree, as JSON text, for messages. */
    private static String at(JsonNode root, List<JsonMappingException.Reference> path) {
        JsonNode node = root;
        for (JsonMappingException.Reference ref : path) {
            if (node == null) break;
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        return node == null ? "(none)" : node.toString();
    }

    private static String expectedType(Class<?> type) {
        if (type == null) return "a value of another type";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
        if (type == Double.class || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (List.class.isAssignableFrom(type)) return "a list";
        return "a mapping (section " + type.getSimpleName() + ")";
    }
}
