package org.diffusion4j.experiments.train;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class ProgressTest {
    @Test
    void plainLinesEveryNStepsWithStepLossRateAndEta() {
        StringWriter text = new StringWriter();
        try (Progress p = Progress.lines("run", 0, 7, 3, new PrintWriter(text))) {
            for (int s = 1; s <= 7; s++) p.update(s, 1.0 / s);
            p.message("checkpoint x");
        }
        String[] lines = text.toString().split("\n");
        assertEquals(4, lines.length, text.toString()); // steps 3, 6, the last (7), and the message
        Pattern line = Pattern.compile("run: step (\\d+)/7  loss ([0-9.e-]+)  [0-9.]+ steps/s  ETA \\d+m\\d\\ds");
        assertTrue(line.matcher(lines[0]).matches(), lines[0]);
        assertTrue(lines[0].startsWith("run: step 3/7  loss 0.3333"), lines[0]);
        assertTrue(lines[2].startsWith("run: step 7/7  loss 0.1429") && lines[2].endsWith("ETA 0m00s"), lines[2]);
        assertEquals("run: checkpoint x", lines[3]);
    }
}
