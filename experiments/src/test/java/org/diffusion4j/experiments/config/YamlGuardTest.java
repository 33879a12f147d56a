package org.diffusion4j.experiments.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What YAML allows and a config must not hold (issue 21): each case was accepted silently (duplicates,
 * aliases), threw a NullPointerException (deep nesting) or spun for minutes (a 50 MB scalar) before.
 */
class YamlGuardTest {
    /** A hang guard, not a speed check (the defects spun for minutes); generous for a loaded machine. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(60);

    private static ConfigException fails(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, List.of()));
    }

    @Test
    void aDuplicateKeyIsRefusedNamingItAndBothLines() {
        ConfigException e = fails("name: a\nseed: 1\nname: b\n");
        assertEquals("name", e.key());
        assertTrue(e.getMessage().contains("given twice (lines 1 and 3)"), e.getMessage());
    }

    @Test
    void aDuplicateNestedKeyIsNamedWithItsSection() {
        ConfigException e = fails("training:\n  steps: 5\n  batchSize: 4\n  steps: 6\n");
        assertEquals("training.steps", e.key());
    }

    @Test
    void theSameKeyInTwoSectionsIsFine() {
        TrainConfig c = ConfigLoader.parse("checkpoint:\n  every: 7\nsampling:\n  every: 9\n", List.of());
        assertEquals(7, c.checkpoint().every());
        assertEquals(9, c.sampling().every());
    }

    @Test
    void anAliasIsRefusedInsteadOfReadAsItsName() {
        ConfigException e = fails("name: &n run7\ntraining:\n  steps: 3\nsampling:\n  sampler: *n\n");
        assertEquals("sampling.sampler", e.key());
        assertTrue(e.getMessage().contains("alias *n at line 5"), e.getMessage());
    }

    @Test
    void aMergeKeyIsAnAliasToo() {
        ConfigException e = fails("base: &b {steps: 3}\ntraining:\n  <<: *b\n");
        assertTrue(e.getMessage().contains("alias *b"), e.getMessage());
    }

    @Test
    void aHundredThousandNestedLevelsAreRefusedQuicklyWithoutAnNpe() {
        String deep = "a: " + "[".repeat(100_000);
        ConfigException e = assertTimeoutPreemptively(HANG_BOUND, () -> fails(deep));
        assertTrue(e.getMessage().contains("nesting deeper than " + YamlGuard.MAX_DEPTH), e.getMessage());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 200; i++) b.append(" ".repeat(i)).append("k:\n");
        assertTrue(assertTimeoutPreemptively(HANG_BOUND, () -> fails(b.toString())).getMessage().contains("nesting"));
    }

    @Test
    void aFiftyMegabyteScalarIsRefusedAtOnceBySize() {
        String big = "name: \"" + "x".repeat(50_000_000) + "\"\n";
        ConfigException e = assertTimeoutPreemptively(HANG_BOUND, () -> fails(big));
        assertTrue(e.getMessage().contains("at most " + YamlGuard.MAX_CHARS), e.getMessage());
    }

    @Test
    void aNonScalarKeyIsRefused() {
        ConfigException e = fails("? [a, b]\n: 1\n");
        assertTrue(e.getMessage().contains("plain words"), e.getMessage());
    }

    @Test
    void brokenYamlIsOneMessage() {
        ConfigException e = fails("training: [1, 2\n");
        assertTrue(e.getMessage().startsWith("config key '(file)': not valid YAML or JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void anchorsWithoutAliasesAndListsStillLoad() {
        TrainConfig c = ConfigLoader.parse("name: &n ok\nmodel:\n  multipliers: [1, 2]\n  attentionLevels:\n    - 1\n", List.of());
        assertEquals("ok", c.name());
        assertEquals(List.of(1, 2), c.model().multipliers());
    }
}
