package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.run.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code d4j train} in a child JVM, killed with SIGKILL at random moments, resumed with {@code --resume} each time,
 * ends with the same bytes as an uninterrupted run: the final checkpoint, every sample grid, the metrics. While the
 * child runs, a second train on its folder is refused naming the child's pid; after the kill its stale lock is
 * taken over with a notice. The number of kills is the system property d4j.kills (default 2; e.g.
 * {@code -Dd4j.kills=20} for the probe).
 */
class KillAndResumeTest {
    private static final int STEPS = 160;
    private static final String[] RUN = {"--set", "training.steps=" + STEPS, "--set", "checkpoint.every=20", "--set", "checkpoint.keepLast=2",
            "--set", "sampling.every=40", "--set", "training.logEvery=5"};

    @Test void killedAtRandomMomentsAndResumedItEndsBitwiseAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path config = TrainCommandTest.tinyConfig(dir);
        Path straightRuns = dir.resolve("straight"), killedRuns = dir.resolve("killed");
        CliRun straight = CliRun.of(args("train", "--config", config.toString(), "--runs", straightRuns.toString()));
        assertEquals(0, straight.exitCode(), straight.toString());

        int kills = Integer.getInteger("d4j.kills", 2);
        Random random = new Random(Long.getLong("d4j.kills.seed", 21L));
        List<String> log = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            Process child = startTrain(config, killedRuns, k > 0);
            Lines lines = new Lines(child);
            // Kill k lands near step (k + 1) STEPS / (kills + 1), give or take half that spacing, then a random few
            // milliseconds on: so the kills spread over the whole run and fall inside steps, checkpoints and grids alike.
            int spacing = STEPS / (kills + 1);
            int target = Math.max(1, (k + 1) * spacing + random.nextInt(spacing) - spacing / 2);
            boolean reached = lines.awaitStep(target, child, 120);
            assertTrue(reached || !child.isAlive(), "the child did not reach step " + target + ":\n" + lines);
            if (k == 0 && child.isAlive()) {
                CliRun second = CliRun.of(args("train", "--config", config.toString(), "--runs", killedRuns.toString(), "--resume"));
                assertEquals(1, second.exitCode(), second.toString());
                if (child.isAlive()) assertTrue(second.err().contains("in use by pid " + child.pid() + " on host"), second.err());
                assertFalse(second.err().contains("\tat "), second.err());
            }
            Thread.sleep(random.nextInt(200));
            boolean finished = !child.isAlive();
            child.destroyForcibly();   // SIGKILL on Linux: no shutdown hooks, no finally blocks
            child.waitFor(30, TimeUnit.SECONDS);
            lines.join();
            log.add("kill " + (k + 1) + (finished ? " came after the end" : " at " + lines.lastStep()) + ", exit " + child.exitValue());
            assertFalse(lines.text().contains("\tat "), "the child failed before the kill:\n" + lines);
        }
        log.forEach(System.out::println);
        CliRun resumed = CliRun.of(args("train", "--config", config.toString(), "--runs", killedRuns.toString(), "--resume"));
        assertEquals(0, resumed.exitCode(), log + "\n" + resumed);
        if (kills > 0 && !log.get(log.size() - 1).contains("after the end")) {
            assertTrue(resumed.err().contains("stale lock"), "the killed child's lock is taken over with a notice: " + resumed.err());
        }

        Path a = straightRuns.resolve("tiny-cli"), b = killedRuns.resolve("tiny-cli");
        String last = String.format("checkpoints/step-%09d.safetensors", STEPS);
        assertArrayEquals(Files.readAllBytes(a.resolve(last)), Files.readAllBytes(b.resolve(last)), log.toString());
        TreeMap<String, byte[]> gridsA = grids(a), gridsB = grids(b);
        assertEquals(List.of("step-120.png", "step-160.png", "step-40.png", "step-80.png", "trajectory.png"),
                List.copyOf(gridsA.keySet()));
        assertEquals(gridsA.keySet(), gridsB.keySet(), log.toString());
        for (String name : gridsA.keySet()) assertArrayEquals(gridsA.get(name), gridsB.get(name), name + " " + log);
        List<MetricsLog.Entry> ma = MetricsLog.read(a.resolve("metrics.jsonl")), mb = MetricsLog.read(b.resolve("metrics.jsonl"));
        assertEquals(ma.stream().map(MetricsLog.Entry::step).toList(), mb.stream().map(MetricsLog.Entry::step).toList());
        for (int i = 0; i < ma.size(); i++) assertEquals(ma.get(i).loss(), mb.get(i).loss(), 0.0, "step " + ma.get(i).step());
        try (var walk = Files.walk(b)) {
            assertEquals(List.of(), walk.filter(p -> p.toString().endsWith(".tmp")).toList(), "no temporary file is left");
        }
    }

    private static String[] args(String... head) {
        String[] all = java.util.Arrays.copyOf(head, head.length + RUN.length);
        System.arraycopy(RUN, 0, all, head.length, RUN.length);
        return all;
    }

    /** d4j train in a child JVM with this test's class path, on the CPU. */
    private static Process startTrain(Path config, Path runs, boolean resume) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args("train", "--config", config.toString(), "--runs", runs.toString())));
        if (resume) command.add("--resume");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put(Main.DEVICE_ENV, "cpu");
        return pb.start();
    }

    /** The child's output, read on a thread, and the last step its progress lines reported. */
    private static final class Lines extends Thread {
        private static final java.util.regex.Pattern STEP = java.util.regex.Pattern.compile("step (\\d+)/");
        private final Process child;
        private final StringBuilder text = new StringBuilder();
        private volatile long lastStep = -1;
        private volatile String lastLine = "no step yet";

        Lines(Process child) {
            this.child = child;
            setDaemon(true);
            start();
        }

        @Override public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (text) { text.append(line).append('\n'); }
                    java.util.regex.Matcher m = STEP.matcher(line);
                    if (m.find()) {
                        lastLine = line;
                        lastStep = Long.parseLong(m.group(1));
                    }
                }
            } catch (IOException e) {
                synchronized (text) { text.append("(output lost: ").append(e.getMessage()).append(")\n"); }
            }
        }

        /** Waits until a progress line reports step >= target (true), or the child ends or the time is up (false). */
        boolean awaitStep(long target, Process child, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (lastStep < target) {
                if (!child.isAlive() || System.nanoTime() > deadline) return false;
                Thread.sleep(5);
            }
            return true;
        }

        String lastStep() { return lastLine; }

        String text() { synchronized (text) { return text.toString(); } }

        @Override public String toString() { return text(); }
    }

    private static TreeMap<String, byte[]> grids(Path run) throws IOException {
        TreeMap<String, byte[]> grids = new TreeMap<>();
        try (var s = Files.list(run.resolve("samples"))) {
            for (Path p : s.toList()) grids.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return grids;
    }
}
