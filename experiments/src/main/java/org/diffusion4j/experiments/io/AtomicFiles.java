package org.diffusion4j.experiments.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-file writes that a kill, a crash or a full disk cannot leave half done: the bytes go to NAME.tmp
 * beside the file, are forced to disk, and the temporary file is renamed over NAME in one step. A reader sees
 * the old file or the new one, never a mix; what a failure leaves is at most an orphan NAME.tmp, which
 * {@link #removeOrphans} clears.
 */
public final class AtomicFiles {
    /** The suffix of the temporary files. */
    public static final String TMP_SUFFIX = ".tmp";

    private AtomicFiles() { }

    /** Writes bytes to file atomically (creating its folder). */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) ch.write(buffer);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);   // e.g. the disk filled up: leave no partial temporary file behind
            throw e;
        }
    }

    /** Writes text (UTF-8) to file atomically. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the temporary files (names ending in .tmp) directly in dir, which unfinished writes of an earlier,
     * killed process left. Only the process that owns dir (its run lock) may call this. Returns what it deleted.
     */
    public static List<Path> removeOrphans(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) return removed;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().endsWith(TMP_SUFFIX) && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    removed.add(p);
                }
            }
        }
        return removed;
    }
}
