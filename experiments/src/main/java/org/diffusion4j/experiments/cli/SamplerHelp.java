package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.sampler.Samplers;

/** The samplers section of {@code d4j sample --help}: every sampler with its options and their defaults. */
final class SamplerHelp {
    private SamplerHelp() { }

    static String text() {
        StringBuilder sb = new StringBuilder("%nSamplers (--sampler NAME; options with -o KEY=VALUE, --steps, --rtol, --atol):%n");
        for (Samplers.Info info : Samplers.describe()) {
            sb.append("%n  ").append(Samplers.cliName(info.name())).append(": ").append(escape(info.description())).append("%n");
            for (Samplers.Option o : info.options()) {
                sb.append("      ").append(String.format("%-16s", o.name())).append(" default ")
                        .append(String.format("%-10s", escape(o.defaultValue()))).append(" ").append(escape(o.description())).append("%n");
            }
        }
        sb.append("%nWith --run, the forward process is the run's own: the process options (process or sde, schedule, train-steps, "
                + "beta-min, beta-max, sigma-min, sigma-max, end-time) are then refused. Aliases: heun (edm-heun), euler-a, "
                + "dpmpp-2m etc. (dpm++2m), unipc-bh2; case and '_' do not matter.%n");
        return sb.toString();
    }

    /** picocli reads % as a format character in usage text. */
    private static String escape(String s) { return s.replace("%", "%%"); }
}
