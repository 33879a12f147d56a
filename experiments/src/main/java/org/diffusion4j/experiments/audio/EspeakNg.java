package org.diffusion4j.experiments.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * eSpeak NG (Debian package espeak-ng). A voice is an English accent with a voice variant ("en-us+adam"); the
 * accents are the built-in English ones (the gmw/ voice files; the mbrola ones need extra packages), the variants
 * are all those `espeak-ng --voices=variant` lists. The speaker, for the split, is the variant. Pitch maps to
 * -p 20..80 (of espeak's 0..99), rate to -s 130..210 words per minute, amplitude stays at espeak's default (the
 * clip's gain is applied afterwards, see {@link SpokenDigits}).
 */
public final class EspeakNg implements Synthesiser {
    static final String PROGRAM = "espeak-ng";

    @Override public String name() { return PROGRAM; }

    @Override public String debianPackage() { return "espeak-ng"; }

    @Override public String version() throws IOException {
        return Synthesiser.runProgram(List.of(PROGRAM, "--version")).lines().findFirst().orElse("").strip();
    }

    @Override public List<Voice> voices() throws IOException {
        TreeSet<String> accents = new TreeSet<>(), variants = new TreeSet<>();
        for (String line : Synthesiser.runProgram(List.of(PROGRAM, "--voices=en")).lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[4].startsWith("gmw/")) accents.add(f[1]);
        }
        for (String line : Synthesiser.runProgram(List.of(PROGRAM, "--voices=variant")).lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[4].startsWith("!v/")) variants.add(f[4].substring(3));
        }
        if (accents.isEmpty() || variants.isEmpty()) throw new IOException(PROGRAM + " lists " + accents.size()
                + " English accents and " + variants.size() + " variants; expected at least one of each");
        List<Voice> voices = new ArrayList<>();
        for (String v : variants) for (String a : accents) voices.add(new Voice(a + "+" + v, PROGRAM + ":" + v));
        return voices;
    }

    @Override public String speak(Voice voice, String word, double pitch, double rate, Path wav) throws IOException {
        int p = (int) Math.round(20 + 60 * pitch), s = (int) Math.round(130 + 80 * rate);
        Synthesiser.runProgram(List.of(PROGRAM, "-v", voice.name(), "-p", Integer.toString(p), "-s", Integer.toString(s),
                "-w", wav.toString(), word));
        return "-p " + p + " -s " + s;
    }
}
