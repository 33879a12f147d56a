package org.diffusion4j.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.diffusion4j.benchmarks.sidebyside.GuardComparison.Measurement;
import org.diffusion4j.benchmarks.sidebyside.GuardComparison.Verdict;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sampling-loop guard: reruns {@link SamplingBenchmark} in a configuration chosen for the device, compares each
 * result with the baseline recorded in the repository ({@code benchmarks/guard/baseline-KIND.json}) by
 * {@link GuardComparison}, prints one line per benchmark and exits with 1 on a regression.
 * {@code --record} measures and writes the baseline instead.
 * <pre>
 *   ./scripts/bench-guard                    CPU: tiny net, batch 1, DDIM 20 and DDPM 40 steps (about 1-2 minutes)
 *   ./scripts/bench-guard --device opencl    GPU: UNet-S, batch 1 and 128, DDIM 50 and DDPM 1000 steps
 *   ./scripts/bench-guard --record [--note "machine shared with ..."]
 * </pre>
 */
public final class BenchGuard {
    /** What the guard runs on one kind of device. */
    record Config(String net, List<String> samplers, List<Integer> batches, int warmups, int iterations) {
        static Config forDevice(String device) {
            return device.startsWith("cpu")
                    ? new Config("tiny", List.of("ddim-20", "ddpm-40"), List.of(1), 4, 6)
                    : new Config("unet-s", List.of("ddim-50", "ddpm-1000"), List.of(1, 128), 1, 3);
        }

        Map<String, Object> asMap() {
            return Map.of("net", net, "samplers", samplers, "batches", batches, "warmups", warmups, "iterations", iterations);
        }
    }

    private BenchGuard() { }

    public static void main(String[] args) throws Exception {
        String device = "cpu", note = "", commit = System.getenv().getOrDefault("D4J_COMMIT", "unknown");
        Path baselineDir = Path.of("benchmarks", "guard");
        boolean record = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--record" -> record = true;
                case "--device" -> device = value(args, ++i, "--device");
                case "--note" -> note = value(args, ++i, "--note");
                case "--baseline-dir" -> baselineDir = Path.of(value(args, ++i, "--baseline-dir"));
                default -> {
                    System.err.println("bench-guard: unknown option '" + args[i] + "': expected --device, --record, --note or --baseline-dir");
                    System.exit(2);
                }
            }
        }
        String kind = device.startsWith("cpu") ? "cpu" : "opencl";
        Path baselineFile = baselineDir.resolve("baseline-" + kind + ".json");
        Config config = Config.forDevice(device);
        if (!record && !Files.exists(baselineFile)) {
            System.err.println("bench-guard: no baseline " + baselineFile + "; record one with --record");
            System.exit(2);
        }
        Map<String, Measurement> current = measure(device, config);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (record) {
            Files.createDirectories(baselineDir);
            json.writeValue(baselineFile.toFile(), baselineJson(json, device, config, commit, note, current));
            System.out.println("bench-guard: wrote " + baselineFile);
            for (Map.Entry<String, Measurement> e : current.entrySet()) System.out.printf(java.util.Locale.ROOT,
                    "%-40s %10.1f ms  spread %.1f%%%n", e.getKey(), e.getValue().meanMs(), 100 * e.getValue().relativeStd());
            return;
        }
        Map<String, Measurement> baseline = readBaseline(json.readTree(baselineFile.toFile()));
        List<Verdict> verdicts = GuardComparison.compare(baseline, current);
        System.out.println("bench-guard: " + baselineFile + " vs this run (threshold = max(" + GuardComparison.SPREADS
                + " x relative std, " + (int) (100 * GuardComparison.MIN_THRESHOLD) + "%))");
        for (Verdict v : verdicts) System.out.println(v.line());
        if (GuardComparison.anyRegression(verdicts)) {
            System.out.println("bench-guard: FAILED: the sampling loop got slower beyond its run-to-run spread");
            System.exit(1);
        }
        System.out.println("bench-guard: OK");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    /** Runs the sampling benchmarks in one forked JVM and returns each one's single-shot times. */
    static Map<String, Measurement> measure(String device, Config config) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(SamplingBenchmark.class.getName() + ".sample")
                .param("device", device)
                .param("net", config.net())
                .param("sampler", config.samplers().toArray(String[]::new))
                .param("batch", config.batches().stream().map(String::valueOf).toArray(String[]::new))
                .warmupIterations(config.warmups())
                .measurementIterations(config.iterations())
                .forks(1)
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Measurement> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            var p = r.getParams();
            String key = p.getParam("sampler") + "/" + p.getParam("net") + "/b" + p.getParam("batch");
            List<Double> times = new ArrayList<>();
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult it : b.getIterationResults()) times.add(it.getPrimaryResult().getScore());
            }
            out.put(key, Measurement.of(times.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    static ObjectNode baselineJson(ObjectMapper json, String device, Config config, String commit, String note,
                                   Map<String, Measurement> results) {
        ObjectNode root = json.createObjectNode();
        root.put("recorded", Instant.now().toString());
        root.put("commit", commit);
        root.put("device", device);
        root.put("machine", machine());
        root.put("load_average_at_end", loadAverage());
        root.put("note", note);
        root.set("config", json.valueToTree(config.asMap()));
        ObjectNode benchmarks = root.putObject("results");
        for (Map.Entry<String, Measurement> e : results.entrySet()) {
            ObjectNode m = benchmarks.putObject(e.getKey());
            m.put("mean_ms", e.getValue().meanMs());
            m.put("relative_std", e.getValue().relativeStd());
            ArrayNode samples = m.putArray("samples_ms");
            for (double v : e.getValue().samplesMs()) samples.add(v);
        }
        return root;
    }

    static Map<String, Measurement> readBaseline(JsonNode root) {
        Map<String, Measurement> out = new LinkedHashMap<>();
        JsonNode results = root.get("results");
        if (results == null || !results.isObject()) throw new IllegalArgumentException("baseline has no 'results' object");
        results.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue().get("samples_ms");
            if (s == null || !s.isArray()) throw new IllegalArgumentException("baseline entry '" + e.getKey() + "' has no samples_ms array");
            double[] v = new double[s.size()];
            for (int i = 0; i < v.length; i++) v[i] = s.get(i).asDouble();
            out.put(e.getKey(), Measurement.of(v));
        });
        return out;
    }

    private static String machine() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) { model = line.substring(line.indexOf(':') + 1).trim(); break; }
            }
        } catch (IOException ignored) {
            // not Linux: the model stays unknown
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " hardware threads, Java " + System.getProperty("java.version");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
