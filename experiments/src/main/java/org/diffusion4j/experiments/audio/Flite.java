package org.diffusion4j.experiments.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Festival Lite (Debian package flite), with its built-in voices except the limited-domain awb_time (it speaks
 * clock times only). kal and kal16 are one speaker at two sample rates. Pitch maps to a mean F0 of 90..150 Hz
 * (int_f0_target_mean), rate to a duration stretch of 1.25..0.8.
 */
public final class Flite implements Synthesiser {
    static final String PROGRAM = "flite";

    @Override public String name() { return PROGRAM; }

    @Override public String debianPackage() { return "flite"; }

    @Override public String version() throws IOException {
        return Synthesiser.runProgram(List.of(PROGRAM, "--version"), false).lines().filter(l -> l.contains("version"))
                .findFirst().orElse("unknown version").strip();
    }

    @Override public List<Voice> voices() throws IOException {
        String out = Synthesiser.runProgram(List.of(PROGRAM, "-lv"));
        int colon = out.indexOf(':');
        if (colon < 0) throw new IOException(PROGRAM + " -lv printed no voice list: " + out.strip());
        List<Voice> voices = new ArrayList<>();
        for (String name : out.substring(colon + 1).trim().split("\\s+")) {
            if (name.isEmpty() || name.equals("awb_time")) continue;
            voices.add(new Voice(name, PROGRAM + ":" + (name.equals("kal16") ? "kal" : name)));
        }
        voices.sort(java.util.Comparator.comparing(Voice::name));
        return voices;
    }

    @Override public String speak(Voice voice, String word, double pitch, double rate, Path wav) throws IOException {
        long f0 = Math.round(90 + 60 * pitch);
        String stretch = String.format(java.util.Locale.ROOT, "%.3f", 1.25 - 0.45 * rate);
        Synthesiser.runProgram(List.of(PROGRAM, "-voice", voice.name(), "--setf", "int_f0_target_mean=" + f0,
                "--setf", "duration_stretch=" + stretch, "-t", word, "-o", wav.toString()));
        return "int_f0_target_mean=" + f0 + " duration_stretch=" + stretch;
    }
}
