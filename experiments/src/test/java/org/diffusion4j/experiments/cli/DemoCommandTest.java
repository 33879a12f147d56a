package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DemoCommandTest {
    @Test
    void shortDemoTrainsSamplesThreeWaysAndWritesTheReport(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("demo", "--runs", dir.toString(), "--set", "training.steps=20", "--set", "checkpoint.every=20",
                "--set", "sampling.every=20", "--set", "sampling.count=50");
        assertEquals(0, r.exitCode(), r.toString());
        for (String s : new String[]{"ddpm, 100 steps: NFE 100", "ddim, 50 steps: NFE 50", "ode-heun, 50 steps: NFE", "report"}) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
        String html = Files.readString(dir.resolve("demo").resolve("report.html"));
        assertTrue(html.contains("data (swiss-roll, 1000 points)") && html.contains("sliced W1"), "data and samples side by side");
        assertEquals(6, html.split("data:image/png;base64,", -1).length - 1, "data, three samplers, one grid, the trajectory");
        // Running it again replaces the demo's own folder.
        assertEquals(0, CliRun.of("demo", "--runs", dir.toString(), "--set", "training.steps=2", "--set", "sampling.every=0").exitCode());
    }

    @Test
    void demoConfigOnTheClassPathIsTheOneInConfigs() throws IOException {
        assertEquals(Files.readString(Path.of("configs", DemoCommand.SWISS_ROLL_CONFIG)), DemoCommand.resource(DemoCommand.SWISS_ROLL_CONFIG));
        assertEquals(Files.readString(Path.of("configs", DemoCommand.FASHION_CONFIG)), DemoCommand.resource(DemoCommand.FASHION_CONFIG));
    }

    @Test
    void fashionDemoSaysSoWhenThereIsNoGpu() {
        boolean gpu = false;
        for (BackendProvider p : Backends.providers()) for (var d : p.devices()) gpu |= d.type().equalsIgnoreCase("GPU");
        Assumptions.assumeFalse(gpu, "a GPU is present; the no-GPU message does not apply");
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        int code = Main.run(new Main(java.util.Map.of()), new java.io.PrintWriter(out), new java.io.PrintWriter(err), "demo", "--fashion");
        assertEquals(1, code);
        assertTrue(err.toString().contains("no GPU was found"), err.toString());
    }
}
