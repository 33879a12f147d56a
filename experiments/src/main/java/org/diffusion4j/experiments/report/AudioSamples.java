package org.diffusion4j.experiments.report;

import org.diffusion4j.experiments.audio.AudioPictures;
import org.diffusion4j.experiments.audio.Wav;
import org.diffusion4j.experiments.run.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sounds of a waveform run for its report: the last training step's samples (samples/step-N-I.wav, the largest
 * N) and the newest evaluation's clips (samples/eval-step-N/sample-I*.wav), at most {@link #MAX_CLIPS} of each, each
 * with its own spectrogram.
 */
final class AudioSamples {
    static final int MAX_CLIPS = 20;
    private static final Pattern TRAINING = Pattern.compile("step-(\\d+)-(\\d+)\\.wav");
    private static final Pattern EVAL_DIR = Pattern.compile("eval-step-(-?\\d+)");
    private static final Pattern EVAL_CLIP = Pattern.compile("sample-(\\d+)(-digit-\\d+)?\\.wav");

    record Section(String heading, List<ReportPage.Sound> sounds) { }

    private AudioSamples() { }

    static List<Section> sections(RunFolder folder) throws IOException {
        Path samples = folder.samples();
        if (!Files.isDirectory(samples)) return List.of();
        List<Section> out = new ArrayList<>();
        List<Path> all;
        try (var s = Files.list(samples)) { all = s.toList(); }
        long last = all.stream().map(p -> TRAINING.matcher(p.getFileName().toString())).filter(Matcher::matches)
                .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(-1);
        if (last >= 0) {
            List<Path> clips = all.stream().filter(p -> {
                Matcher m = TRAINING.matcher(p.getFileName().toString());
                return m.matches() && Long.parseLong(m.group(1)) == last;
            }).sorted(Comparator.comparingInt(p -> index(TRAINING, p))).toList();
            out.add(new Section("Samples of step " + last + " (listen; spectrograms above each player)", sounds(clips)));
        }
        Path newestEval = all.stream().filter(p -> Files.isDirectory(p) && EVAL_DIR.matcher(p.getFileName().toString()).matches())
                .max(Comparator.comparingLong(p -> {
                    Matcher m = EVAL_DIR.matcher(p.getFileName().toString());
                    m.matches();
                    return Long.parseLong(m.group(1));
                })).orElse(null);
        if (newestEval != null) {
            List<Path> clips;
            try (var s = Files.list(newestEval)) {
                clips = s.filter(p -> EVAL_CLIP.matcher(p.getFileName().toString()).matches())
                        .sorted(Comparator.comparingInt(p -> index(EVAL_CLIP, p))).toList();
            }
            if (!clips.isEmpty()) out.add(new Section("Clips of the newest evaluation (" + newestEval.getFileName() + ")", sounds(clips)));
        }
        return out;
    }

    /** The clip number, group 1 of TRAINING's second number or EVAL_CLIP's first. */
    private static int index(Pattern p, Path file) {
        Matcher m = p.matcher(file.getFileName().toString());
        m.matches();
        return Integer.parseInt(m.group(p == TRAINING ? 2 : 1));
    }

    private static List<ReportPage.Sound> sounds(List<Path> clips) throws IOException {
        List<ReportPage.Sound> sounds = new ArrayList<>();
        for (Path f : clips.subList(0, Math.min(MAX_CLIPS, clips.size()))) {
            byte[] bytes = Files.readAllBytes(f);
            double[] samples = Wav.read(f).samples();
            byte[] png = Html.png(AudioPictures.spectrogramGrid(new double[][]{samples}, 1));
            sounds.add(new ReportPage.Sound(f.getFileName().toString(), png, bytes));
        }
        return sounds;
    }
}
