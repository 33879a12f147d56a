package org.diffusion4j.experiments.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code d4j --version}: the project's version (from Maven, see version.properties) and the running JDK. */
public final class VersionProvider implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    /** The project version Maven wrote into version.properties, e.g. "0.1.0-SNAPSHOT". */
    public static String projectVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the class path: build with Maven");
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version");
            if (version == null || version.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by Maven (version=" + version + ")");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "diffusion4j " + projectVersion(),
                "JDK " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
