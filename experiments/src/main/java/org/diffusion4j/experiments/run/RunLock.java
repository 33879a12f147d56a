package org.diffusion4j.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The lock of a run folder, held by the one process that writes it (train, train --resume, demo): an OS file
 * lock on runs/NAME/run.lock, which the operating system releases when the process ends however it ends (exit,
 * kill -9, crash), plus the owner's pid, host and start time in the file, for the message another process gets.
 *
 * <p>A second writer fails at once with {@link RunFolderBusyException} naming the holder. The file itself is never
 * deleted (deleting a lock file while another process opens it lets two processes lock two different files); a
 * released lock leaves it empty. A file that still names an owner while nobody holds the OS lock was left by a
 * process that died: the new owner takes it over and says so.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name inside a run folder. */
    public static final String FILE_NAME = "run.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the run folder root (which must exist), or fails naming the process that holds it.
     *
     * @param notices told when a stale lock (its owner died) is taken over
     * @throws RunFolderBusyException when another process (or another writer in this JVM) holds the lock
     */
    public static RunLock acquire(Path root, Consumer<String> notices) {
        Path file = root.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;   // this JVM already holds it, through another channel
            }
            if (lock == null) {
                String owner = read(channel);
                channel.close();
                throw new RunFolderBusyException(root, owner.isEmpty() ? "another process (it has not yet written its pid)" : owner);
            }
            String previous = read(channel);
            if (!previous.isEmpty()) {
                notices.accept("run folder " + root + ": taking over a stale lock (" + previous
                        + ", which no longer holds it: it ended without releasing it)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock run folder " + root + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /** The lock file. */
    public Path file() { return file; }

    /** Empties the lock file and releases the OS lock. */
    @Override public void close() {
        try {
            if (channel.isOpen()) {
                channel.truncate(0);
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock " + file + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(channel);
        }
    }

    /** "pid 1234 on host NAME since 2026-01-01T00:00:00Z" for this JVM. */
    static String describeThisProcess() {
        return "pid " + ProcessHandle.current().pid() + " on host " + hostName() + " since " + Instant.ofEpochMilli(
                ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "unknown";
        }
    }

    /** The lock file's text (at most 1 KiB of it), trimmed. */
    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1024, channel.size()));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) { }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing after a failure: the first failure is the one reported
        }
    }
}
