package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.audio.SpokenDigits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DataCommandTest {
    @TempDir Path dir;

    @Test void makesATinySpokenDigitsSetAndReusesIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/espeak-ng")), "espeak-ng is not installed (Debian package espeak-ng)");
        Path out = dir.resolve("sd");
        CliRun first = CliRun.of("data", "spoken-digits", "--out", out.toString(), "--voices", "2", "--takes", "1", "--no-flite",
                "--test-fraction", "0.5");
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains("20 clips (10 train, 10 test) from 2 speakers"), first.toString());
        assertTrue(Files.exists(out.resolve(SpokenDigits.MANIFEST)));
        CliRun again = CliRun.of("data", "spoken-digits", "--out", out.toString(), "--voices", "2", "--takes", "1", "--no-flite",
                "--test-fraction", "0.5");
        assertEquals(0, again.exitCode(), again.toString());
        CliRun other = CliRun.of("data", "spoken-digits", "--out", out.toString(), "--voices", "3", "--takes", "1", "--no-flite");
        assertNotEquals(0, other.exitCode());
        assertTrue(other.err().contains("voicesPerSynthesiser=2") && other.err().contains("use another folder"), other.toString());
        CliRun bad = CliRun.of("data", "spoken-digits", "--out", dir.resolve("x").toString(), "--takes", "0");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("takes must be >= 1, got 0"), bad.toString());
    }
}
