package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sampler of the order table keeps its order: the order fitted from its error against NFE, with exact scores,
 * lies in the band ConvergenceCases states (docs/course/07-samplers.md). A sampler that silently loses an order (a
 * wrong coefficient, a step taken at the wrong noise level) falls out of its band. Tiny sizes: few samples.
 */
class ConvergenceOrderTest {
    private static final GaussianMixture GAUSSIAN = AnalyticModels.gaussian2d(), MIXTURE = AnalyticModels.eightGaussians();

    @TestFactory List<DynamicTest> deterministicOrdersOnTheGaussian() {
        ConvergenceStudy study = new ConvergenceStudy(GAUSSIAN, ConvergenceStudy.referenceFlow(GAUSSIAN), 7);
        List<DynamicTest> tests = new ArrayList<>();
        for (ConvergenceCases.Case c : ConvergenceCases.DETERMINISTIC) {
            tests.add(DynamicTest.dynamicTest(c.label(), () -> check(study.deterministic(c, 8), c.gaussian())));
        }
        return tests;
    }

    @TestFactory List<DynamicTest> deterministicOrdersOnTheMixture() {
        ConvergenceStudy study = new ConvergenceStudy(MIXTURE, ConvergenceStudy.referenceFlow(MIXTURE), 7);
        List<DynamicTest> tests = new ArrayList<>();
        for (ConvergenceCases.Case c : ConvergenceCases.DETERMINISTIC) {
            tests.add(DynamicTest.dynamicTest(c.label(), () -> check(study.deterministic(c, 8), c.mixture())));
        }
        return tests;
    }

    @TestFactory List<DynamicTest> weakOrdersOnTheGaussian() {
        ConvergenceStudy study = new ConvergenceStudy(GAUSSIAN, ConvergenceStudy.referenceFlow(GAUSSIAN), 7);
        List<DynamicTest> tests = new ArrayList<>();
        for (ConvergenceCases.StochasticCase c : ConvergenceCases.STOCHASTIC) {
            // 40 000 samples: the Monte Carlo floor of the moment error is about 0.01, below every measured point
            tests.add(DynamicTest.dynamicTest(c.label(), () -> check(study.stochastic(c, 40_000), c.gaussian())));
        }
        return tests;
    }

    private static void check(ConvergenceStudy.Curve curve, ConvergenceCases.Band band) {
        assertTrue(band.contains(curve.order()), String.format(Locale.ROOT, "%s: measured order %.3f outside %s; points %s",
                curve.label(), curve.order(), band, curve.points()));
    }

    @Test void fitRecoversAKnownSlope() {
        List<ConvergenceStudy.Point> p = List.of(new ConvergenceStudy.Point(1, 10, 3 * Math.pow(10, -1.5)),
                new ConvergenceStudy.Point(2, 20, 3 * Math.pow(20, -1.5)), new ConvergenceStudy.Point(4, 40, 3 * Math.pow(40, -1.5)));
        assertEquals(1.5, ConvergenceStudy.fitOrder(p), 1e-12);
    }

    @Test void aSamplerThatLosesItsOrderFallsOutOfItsBand() {
        // Heun's method with its corrector dropped is Euler: the edm-heun band must reject it
        ConvergenceCases.Case heun = ConvergenceCases.DETERMINISTIC.stream().filter(c -> c.label().equals("edm-heun")).findFirst().orElseThrow();
        ConvergenceCases.Case broken = new ConvergenceCases.Case("edm-heun without corrector", steps -> {
            SamplerPath p = heun.path().apply(steps);
            double[] s = org.diffusion4j.diffusion.schedule.NoiseLevels.karras(steps, ConvergenceCases.SIGMA_MIN, ConvergenceCases.SIGMA_MAX,
                    ConvergenceCases.RHO);
            return new SamplerPath(new EulerOnLevels(s), p.sigmaStart(), p.priorScale(), p.startAlpha(), p.sigmaEnd(), p.endAlpha(), true);
        }, heun.steps(), 2, heun.gaussian(), heun.mixture());
        ConvergenceStudy study = new ConvergenceStudy(GAUSSIAN, ConvergenceStudy.referenceFlow(GAUSSIAN), 7);
        ConvergenceStudy.Curve c = study.deterministic(broken, 8);
        assertTrue(!heun.gaussian().contains(c.order()) && Math.abs(c.order() - 1) < 0.2, "Euler measured " + c.order());
    }
}
