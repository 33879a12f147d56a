package org.diffusion4j.experiments.run;

import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.report.ReportPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The run folder's lock, its atomic writes and its clean-up of what a killed writer left. */
class RunFolderTest {
    private static final TrainConfig CONFIG = ConfigLoader.parse("""
            name: locked
            data: {dataset: swiss-roll}
            model: {type: mlp, hidden: 8, depth: 2, embedding: 4}
            training: {steps: 3}
            """, List.of());

    @Test void aSecondWriterIsRefusedAtOnceNamingTheHolder(@TempDir Path runs) {
        try (RunFolder first = RunFolder.prepare(runs, CONFIG, false, m -> fail(m))) {
            assertTrue(first.isLocked());
            for (boolean resume : new boolean[]{false, true}) {
                RunFolderBusyException e = assertThrows(RunFolderBusyException.class,
                        () -> RunFolder.prepare(runs, CONFIG, resume, m -> { }));
                String pid = Long.toString(ProcessHandle.current().pid());
                assertTrue(e.getMessage().contains("in use by pid " + pid + " on host "), e.getMessage());
                assertTrue(e.getMessage().contains(runs.resolve("locked").toString()), e.getMessage());
            }
        }
        // Released: the next writer gets it, and no stale-lock notice (the holder let go properly).
        List<String> notices = new ArrayList<>();
        try (RunFolder again = RunFolder.prepare(runs, CONFIG, true, notices::add)) {
            assertTrue(again.isLocked());
        }
        assertEquals(List.of(), notices);
    }

    @Test void aStaleLockOfADeadOwnerIsTakenOverWithANotice(@TempDir Path runs) throws IOException {
        Path root = Files.createDirectories(runs.resolve("locked"));
        // What a process killed with -9 leaves: its description in the file, no OS lock held.
        Files.writeString(root.resolve(RunLock.FILE_NAME), "pid 4194000 on host gone since 2026-01-01T00:00:00Z");
        List<String> notices = new ArrayList<>();
        try (RunFolder folder = RunFolder.prepare(runs, CONFIG, false, notices::add)) {
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.get(0).contains("stale lock") && notices.get(0).contains("pid 4194000 on host gone"), notices.get(0));
            assertTrue(Files.readString(root.resolve(RunLock.FILE_NAME)).startsWith("pid " + ProcessHandle.current().pid() + " on host "));
        }
        assertEquals("", Files.readString(root.resolve(RunLock.FILE_NAME)), "a released lock is empty");
    }

    @Test void orphanTemporaryFilesAreRemovedAtStart(@TempDir Path runs) throws IOException {
        Path root = runs.resolve("locked");
        Files.createDirectories(root.resolve("checkpoints"));
        Files.createDirectories(root.resolve("samples"));
        List<Path> orphans = List.of(root.resolve("config.json.tmp"), root.resolve("report.html.tmp"),
                root.resolve("samples/step-4.png.tmp"), root.resolve("checkpoints/.step-000000008.safetensors.99.tmp"));
        for (Path p : orphans) Files.writeString(p, "half");
        Path keep = root.resolve("samples/notes.txt");
        Files.writeString(keep, "not ours to delete");
        List<String> notices = new ArrayList<>();
        try (RunFolder folder = RunFolder.prepare(runs, CONFIG, false, notices::add)) {
            for (Path p : orphans) assertFalse(Files.exists(p), p + " is left");
            assertTrue(Files.exists(keep));
            assertEquals(4, notices.size(), notices.toString());
        }
    }

    /**
     * Each whole-file write replaces the file by a rename, so it gets a new inode: an in-place rewrite (which a kill
     * can leave empty, as config.json was at a resume) keeps the old one.
     */
    @Test void configEnvironmentAndReportAreReplacedByRenameNotRewrittenInPlace(@TempDir Path runs) throws IOException {
        Path root = Files.createDirectories(runs.resolve("locked"));
        Path config = root.resolve("config.json"), env = root.resolve("env.json"), report = root.resolve("report.html");
        for (Path p : List.of(config, env, report)) Files.writeString(p, "{}");
        Object configKey = inode(config), envKey = inode(env), reportKey = inode(report);
        try (RunFolder folder = RunFolder.prepare(runs, CONFIG, false, m -> { })) {
            folder.writeEnvironment(new Environment(null, "jdk", "os", "cpu", "strict", 1, Map.of()));
            new ReportPage("t").write(folder.report());
        }
        assertNotEquals(configKey, inode(config));
        assertNotEquals(envKey, inode(env));
        assertNotEquals(reportKey, inode(report));
        assertEquals(CONFIG, ConfigLoader.load(config, List.of()));
        try (var s = Files.list(root)) {
            assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".tmp")).toList(), "no temporary file stays");
        }
    }

    @Test void replacingAFolderKeepsItsLockAndRefusesABusyOne(@TempDir Path runs) throws IOException {
        try (RunFolder folder = RunFolder.prepare(runs, CONFIG, false, m -> { })) {
            Files.writeString(folder.metrics(), "{}\n");
            assertThrows(RunFolderBusyException.class, () -> RunFolder.prepareReplacing(runs, CONFIG, m -> { }));
            assertTrue(Files.exists(folder.metrics()), "a busy folder is not emptied");
        }
        try (RunFolder replaced = RunFolder.prepareReplacing(runs, CONFIG, m -> { })) {
            assertFalse(Files.exists(replaced.metrics()));
            assertTrue(Files.exists(replaced.root().resolve(RunLock.FILE_NAME)));
        }
    }

    private static Object inode(Path p) throws IOException {
        Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        org.junit.jupiter.api.Assumptions.assumeTrue(key != null, "this file system reports no file keys");
        return key;
    }
}
