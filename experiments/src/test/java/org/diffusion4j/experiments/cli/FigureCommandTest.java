package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.figures.Figures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every figure of the course still draws: `d4j figure NAME --out FILE --tiny` writes a well-formed SVG with marks in it. */
class FigureCommandTest {
    @TempDir Path dir;

    @TestFactory List<DynamicTest> everyFigureDrawsAtTinySize() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Figures.names()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Path out = dir.resolve(name + ".svg");
                CliRun run = CliRun.of("figure", name, "--out", out.toString(), "--tiny");
                assertEquals(0, run.exitCode(), run.toString());
                Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.toFile());
                assertEquals("svg", svg.getDocumentElement().getNodeName());
                int marks = svg.getElementsByTagName("polyline").getLength() + svg.getElementsByTagName("circle").getLength()
                        + svg.getElementsByTagName("path").getLength();
                assertTrue(marks > 0, name + " drew nothing");
                assertTrue(!Files.readString(out).contains("NaN"), name + " has NaN coordinates");
            }));
        }
        return tests;
    }

    @Test void convergenceWritesItsOrderTable() throws Exception {
        Path out = dir.resolve("convergence.svg");
        assertEquals(0, CliRun.of("figure", "convergence", "--out", out.toString(), "--tiny").exitCode());
        String table = Files.readString(dir.resolve("convergence.md"));
        assertTrue(table.contains("| ode-heun | strong (ODE) | 2 |"), table);
    }

    @Test void listNamesEveryFigureAndAnUnknownNameIsAnError() {
        CliRun list = CliRun.of("figure", "list");
        for (String name : Figures.names()) assertTrue(list.out().contains(name), list.toString());
        CliRun bad = CliRun.of("figure", "no-such-figure", "--tiny");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("unknown figure 'no-such-figure'"), bad.toString());
    }
}
