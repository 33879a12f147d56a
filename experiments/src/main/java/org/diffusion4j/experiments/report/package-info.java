/**
 * report.html: one self-contained page with an inline SVG loss curve and base64-embedded PNGs
 * ({@link org.diffusion4j.experiments.report.ReportPage}, {@link org.diffusion4j.experiments.report.RunReport}).
 */
package org.diffusion4j.experiments.report;
