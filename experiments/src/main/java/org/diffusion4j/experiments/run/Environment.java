package org.diffusion4j.experiments.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What env.json records about where a run ran: enough to say which code, JDK, OS and device produced it.
 *
 * @param gitCommit the commit of the working directory (with "-dirty" when it has changes), or null when
 *                  git or a repository is not available
 */
public record Environment(String gitCommit, String jdk, String os, String device, String precision, long seed,
                          Map<String, String> versions) {

    /** Collects the facts of this process; device is the backend's description, precision its policy (strict, tf32, 3xtf32). */
    public static Environment current(String device, String precision, long seed, String projectVersion) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("diffusion4j", projectVersion);
        versions.put("java.vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        versions.put("availableProcessors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        String jdk = System.getProperty("java.vendor") + " " + Runtime.version();
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        return new Environment(gitCommit(Path.of("").toAbsolutePath()), jdk, os, device, precision, seed, versions);
    }

    /** HEAD's commit of the repository around dir, or null. Waits at most a few seconds for git. */
    static String gitCommit(Path dir) {
        String head = runGit(dir, "rev-parse", "HEAD");
        if (head == null) return null;
        String status = runGit(dir, "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    private static String runGit(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
            p.getOutputStream().close();
            p.getErrorStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
