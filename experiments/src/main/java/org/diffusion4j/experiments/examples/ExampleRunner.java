package org.diffusion4j.experiments.examples;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Compiles one single-file program of examples/ against the running classpath and runs its main method: the
 * example {@code train-and-sample} is examples/TrainAndSample.java. The examples folder is found from the working
 * directory upwards, or next to the build (the repository root).
 */
public final class ExampleRunner {
    private ExampleRunner() { }

    /** The examples/ folder: the first one found from the working directory upwards, then from the jar's location. */
    public static Path examplesFolder() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(ExampleRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception ignored) {
            // no code source: only the working directory is searched
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("examples")) && Files.exists(p.resolve("examples/README.md"))) return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ folder (with its README.md) above " + starts.get(0)
                + ": run from inside the diffusion4j repository");
    }

    /** Example names (kebab-case of the file names), sorted. */
    public static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> kebab(n.substring(0, n.length() - 5))).sorted(Comparator.naturalOrder()).toList();
        }
    }

    static String kebab(String className) {
        return className.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static String className(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("-")) if (!part.isEmpty()) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        return sb.toString();
    }

    /** Compiles and runs the named example with the given arguments. */
    public static void run(String name, String[] args) throws Exception {
        Path folder = examplesFolder();
        Path source = folder.resolve(className(name) + ".java");
        if (!Files.exists(source)) throw new IllegalArgumentException("unknown example '" + name + "': expected one of " + names(folder));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("no Java compiler in this runtime (" + System.getProperty("java.home")
                + "): run the examples on a JDK, not a JRE");
        Path out = Files.createTempDirectory("d4j-example-");
        try {
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            int rc = javac.run(null, messages, messages, "-proc:none", "-classpath", System.getProperty("java.class.path"),
                    "--add-modules", "jdk.incubator.vector", "-d", out.toString(), source.toString());
            if (rc != 0) throw new IllegalStateException("example " + name + " does not compile:\n" + messages.toString(StandardCharsets.UTF_8));
            try (URLClassLoader loader = new URLClassLoader(new URL[]{out.toUri().toURL()}, ExampleRunner.class.getClassLoader())) {
                Method main = loader.loadClass(className(name)).getMethod("main", String[].class);
                try {
                    main.invoke(null, (Object) args);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof Exception ex) throw ex;
                    throw e;
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(out)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
