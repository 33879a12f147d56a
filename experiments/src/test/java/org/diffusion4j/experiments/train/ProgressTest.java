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

    @Test
    void afterAResumeTheRateAndEtaCountOnlyThisSessionsSteps() {
        StringWriter text = new StringWriter();
        long[] now = {0};
        try (Progress p = new Progress.Lines("run", 0, 5010, 2, new PrintWriter(text), () -> now[0])) {
            now[0] = 7_000_000_000L;   // restoring the checkpoint took 7 s
            p.startAt(5000);
            now[0] += 2_000_000_000L;  // then 4 steps in 2 s: 2 steps/s, 6 steps left: 3 s
            p.update(5004, 0.5);
        }
        assertEquals("run: step 5004/5010  loss 0.5000  2.0 steps/s  ETA 0m03s", text.toString().strip());
    }
}
