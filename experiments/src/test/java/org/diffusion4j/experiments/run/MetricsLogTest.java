package org.diffusion4j.experiments.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MetricsLogTest {
    @Test
    void linesRoundTripIncludingNonFiniteValues(@TempDir Path dir) {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = new MetricsLog(file)) {
            log.append(new MetricsLog.Entry(1, 0.5, 1e-4, 2.25, 0.125));
            log.append(new MetricsLog.Entry(2, Double.NaN, 2e-4, Double.POSITIVE_INFINITY, 0.25));
        }
        List<MetricsLog.Entry> read = MetricsLog.read(file);
        assertEquals(new MetricsLog.Entry(1, 0.5, 1e-4, 2.25, 0.125), read.get(0));
        assertTrue(Double.isNaN(read.get(1).loss()));
        assertEquals(Double.POSITIVE_INFINITY, read.get(1).gradNorm());
    }

    @Test
    void eachLineIsOneJsonObjectWithTheDocumentedKeys(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.jsonl");
        try (MetricsLog log = new MetricsLog(file)) {
            log.append(new MetricsLog.Entry(3, 0.75, 0.001, 1.5, 2.0));
        }
        String line = Files.readAllLines(file).get(0);
        assertEquals("{\"step\":3,\"loss\":0.75,\"lr\":0.001,\"gradNorm\":1.5,\"seconds\":2.0}", line);
    }

    @Test
    void truncateAfterDropsLaterStepsAndAHalfWrittenLastLineIsIgnored(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.jsonl");
        try (MetricsLog log = new MetricsLog(file)) {
            for (int s = 1; s <= 5; s++) log.append(new MetricsLog.Entry(s, s, 0, 0, 0));
        }
        Files.writeString(file, "{\"step\":6,\"lo", StandardOpenOption.APPEND);
        assertEquals(5, MetricsLog.read(file).size());
        try (MetricsLog log = new MetricsLog(file)) {
            log.truncateAfter(3);
            log.append(new MetricsLog.Entry(4, 40, 0, 0, 0));
        }
        List<MetricsLog.Entry> read = MetricsLog.read(file);
        assertEquals(List.of(1L, 2L, 3L, 4L), read.stream().map(MetricsLog.Entry::step).toList());
        assertEquals(40, read.get(3).loss());
    }
}
