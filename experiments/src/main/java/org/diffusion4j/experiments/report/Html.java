package org.diffusion4j.experiments.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Small helpers for writing self-contained HTML. */
public final class Html {
    private Html() { }

    /** Escapes text for use inside elements and quoted attributes. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An img element whose source is the PNG itself, base64 in a data URI, so the page needs no other file. */
    public static String inlinePng(byte[] png, String alt) {
        return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
    }

    /** An audio player whose source is the WAV file itself, base64 in a data URI. */
    public static String inlineWav(byte[] wav, String label) {
        return "<audio controls preload=\"none\" title=\"" + escape(label) + "\" src=\"data:audio/wav;base64,"
                + Base64.getEncoder().encodeToString(wav) + "\"></audio>";
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer available");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
