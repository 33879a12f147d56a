package org.diffusion4j.experiments.examples;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every program of examples/ compiles and runs at tiny sizes, and prints its result line. */
class ExamplesTest {
    /** What each example's last line must contain. */
    private static final List<String[]> EXPECTED = List.of(
            new String[]{"compare-samplers", "dpm++2m  order"},
            new String[]{"custom-sampler", "midpoint: measured order"},
            new String[]{"exact-likelihood", "largest difference"},
            new String[]{"train-and-sample", "within 0.3 of the circle of modes"});

    @Test void namesAreTheFilesInKebabCase() throws Exception {
        assertEquals(List.of("compare-samplers", "custom-sampler", "exact-likelihood", "train-and-sample"),
                ExampleRunner.names(ExampleRunner.examplesFolder()));
        assertEquals("TrainAndSample", ExampleRunner.className("train-and-sample"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleRunner.run("no-such", new String[0]));
        assertTrue(e.getMessage().contains("unknown example 'no-such'"), e.getMessage());
    }

    @TestFactory List<DynamicTest> everyExampleRunsAtTinySize() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] e : EXPECTED) {
            tests.add(DynamicTest.dynamicTest(e[0], () -> {
                PrintStream old = System.out;
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
                try {
                    ExampleRunner.run(e[0], new String[]{"--tiny"});
                } finally {
                    System.setOut(old);
                }
                String out = buffer.toString(StandardCharsets.UTF_8);
                assertTrue(out.contains(e[1]), e[0] + " printed:\n" + out);
            }));
        }
        return tests;
    }
}
