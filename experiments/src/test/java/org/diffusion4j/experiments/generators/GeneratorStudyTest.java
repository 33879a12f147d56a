package org.diffusion4j.experiments.generators;

import org.diffusion4j.experiments.metrics.ModeCoverage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison's summary: means, sample standard deviations and full-coverage counts of constructed rows. */
class GeneratorStudyTest {
    private static GeneratorStudy.Row row(String model, long seed, int covered, double hq, double w1) {
        int[] counts = new int[25];
        for (int k = 0; k < covered; k++) counts[k] = 30;
        return new GeneratorStudy.Row(model, "25gaussians", seed, 100, 2.0, 1.5, model.equals("gan") ? 1 : 100, 1000,
                new ModeCoverage.Result(counts, 20, covered, hq, 0.1 * seed), w1, new double[][]{{0, 0}, {1, 1}});
    }

    @Test
    void tableReportsMeanSampleStdAndRunsWithEveryModeCovered(@TempDir Path dir) throws Exception {
        GeneratorStudy s = new GeneratorStudy(20);
        s.add(row("diffusion", 0, 25, 0.9, 0.1));
        s.add(row("diffusion", 1, 25, 0.8, 0.3));
        s.add(row("diffusion", 2, 22, 0.7, 0.2));
        s.add(row("gan", 0, 3, 0.5, 1.0));
        String t = s.table(List.of("25gaussians"));
        // modes 25, 25, 22: mean 24, sample sd sqrt(((1 + 1 + 4) / 2)) = sqrt(3) = 1.732
        assertTrue(t.contains("| 25gaussians | diffusion | 3 | 2/3 | 24.0 +- 1.7 (22..25) of 25 | 0.800 +- 0.100 |"), t);
        assertTrue(t.contains("| 25gaussians | gan | 1 | 0/1 | 3.0 (3..3) of 25 | 0.500 |"), t);
        assertEquals("n/a", GeneratorStudy.meanSd(new double[]{Double.NaN}, 2));
        assertEquals("1.00 +- 1.41 (1 undefined)", GeneratorStudy.meanSd(new double[]{0, 2, Double.NaN}, 2));
        s.write(dir, List.of("25gaussians"));
        assertEquals(4, Files.readAllLines(dir.resolve("runs.jsonl")).size());
        assertTrue(Files.size(dir.resolve("scatter-25gaussians.png")) > 0);
    }
}
