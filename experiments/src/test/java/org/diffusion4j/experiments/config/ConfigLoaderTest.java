package org.diffusion4j.experiments.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {
    private static final Path CONFIGS = Path.of("configs");

    private static ConfigException fails(String yaml, String... overrides) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, List.of(overrides)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddpm-fashion-mnist", "ncsn-langevin", "vp-sde-continuous", "edm",
            "class-conditional-guidance", "demo-swiss-roll", "swiss-roll-dpmpp-3m"})
    void everyExampleConfigLoadsAndRoundTripsThroughItsResolvedJson(String name) {
        Path file = CONFIGS.resolve(name + ".yaml");
        assertTrue(Files.isRegularFile(file), file + " is missing");
        TrainConfig config = ConfigLoader.load(file, List.of());
        assertEquals(config, ConfigLoader.parse(ConfigLoader.toJson(config), List.of()));
    }

    @Test
    void ddpmFashionMnistHasThePublishedSettings() {
        TrainConfig c = ConfigLoader.load(CONFIGS.resolve("ddpm-fashion-mnist.yaml"), List.of());
        assertEquals("eps", c.diffusion().objective());
        assertEquals("linear", c.diffusion().schedule());
        assertEquals(1000, c.diffusion().timesteps());
        assertEquals("unet-s", c.model().type());
        assertEquals(List.of(1, 2, 2), c.model().multipliers());
        assertEquals(128, c.training().batchSize());
        assertEquals(2e-4, c.optimizer().lr());
        assertTrue(c.optimizer().warmupSteps() > 0);
        assertTrue(c.training().emaDecay() > 0);
        assertEquals(0.1, c.model().dropout());
    }

    @Test
    void missingKeysTakeTheirDefaultsAndAnEmptyFileIsAllDefaults() {
        TrainConfig c = ConfigLoader.parse("optimizer:\n  lr: 0.001\n", List.of());
        assertEquals(0.001, c.optimizer().lr());
        assertEquals(OptimizerConfig.defaults().beta2(), c.optimizer().beta2());
        assertEquals(new TrainConfig(null, null, null, null, null, null, null, null, null, null, null, null),
                ConfigLoader.parse("", List.of()));
    }

    @Test
    void jsonIsReadToo() {
        TrainConfig c = ConfigLoader.parse("{\"training\": {\"batchSize\": 33}, \"seed\": 17}", List.of());
        assertEquals(33, c.training().batchSize());
        assertEquals(17L, c.seed());
    }

    @Test
    void unknownKeyNamesTheKeyItsValueAndTheAllowedKeys() {
        ConfigException e = fails("optimizer:\n  learningRate: 0.001\n");
        assertEquals("optimizer.learningRate", e.key());
        assertTrue(e.getMessage().contains("optimizer.learningRate"), e.getMessage());
        assertTrue(e.getMessage().contains("0.001"), e.getMessage());
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("warmupSteps"), e.getMessage());
    }

    @Test
    void unknownTopLevelSectionIsAnError() {
        ConfigException e = fails("optimiser:\n  lr: 0.001\n");
        assertEquals("optimiser", e.key());
        assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "training:\\n  batchSize: many|training.batchSize|many|an integer",
            "training:\\n  batchSize: 1.5|training.batchSize|1.5|an integer",
            "optimizer:\\n  lr: 'fast'|optimizer.lr|fast|a number",
            "model:\\n  dropout: [0.1]|model.dropout|[0.1]|a number",
            "model:\\n  classConditional: 1|model.classConditional|1|true or false",
            "model:\\n  multipliers: [1, two]|model.multipliers[1]|two|an integer",
            "training: 5|training|5|a mapping"})
    void wrongTypeNamesKeyValueAndExpectedType(String yaml, String key, String value, String expected) {
        ConfigException e = fails(yaml.replace("\\n", "\n"));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "optimizer.lr=-0.1|optimizer.lr|-0.1|> 0",
            "optimizer.beta2=1.0|optimizer.beta2|1.0|[0.0, 1.0)",
            "training.batchSize=0|training.batchSize|0|>= 1",
            "training.emaDecay=1.5|training.emaDecay|1.5|[0.0, 1.0)",
            "model.dropout=1|model.dropout|1.0|[0.0, 1.0)",
            "data.dataset=mnist|data.dataset|mnist|fashion-mnist, swiss-roll",
            "diffusion.objective=score|diffusion.objective|score|eps, x0, v, dsm, vp-sde, edm",
            "diffusion.betaEnd=0.00001|diffusion.betaEnd|1.0E-5|greater than diffusion.betaStart",
            "checkpoint.keepLast=0|checkpoint.keepLast|0|>= 1",
            "sampling.sampler=magic|sampling.sampler|magic|ddpm, ddim",
            "dtype=f16|dtype|f16|f32, f64",
            "model.type=unet-s|model.type|unet-s|mlp (diffusion), gan or vae for the 2-D dataset",
            "training.labelDropout=0.1|training.labelDropout|0.1|model.classConditional",
            "device=gpu!|device|gpu!|auto, cpu, opencl"})
    void outOfRangeNamesKeyValueAndWhatIsAllowed(String override, String key, String value, String allowed) {
        ConfigException e = fails("", override);
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(e.getMessage().contains(allowed), e.getMessage());
    }

    @Test
    void attentionLevelBeyondTheLastLevelIsRejected() {
        ConfigException e = fails("data: {dataset: fashion-mnist}\nmodel: {type: unet-s, multipliers: [1, 2], attentionLevels: [2]}");
        assertEquals("model.attentionLevels[0]", e.key());
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    }

    @Test
    void overridesSetNestedKeysWithTypedValues() {
        TrainConfig c = ConfigLoader.parse("optimizer:\n  lr: 0.001\n", List.of("optimizer.lr=3e-4",
                "training.steps=17", "data.dataset=fashion-mnist", "model.type=unet-s", "model.multipliers=[1, 2]",
                "model.attentionLevels=[]", "sampling.seed=33"));
        assertEquals(3e-4, c.optimizer().lr());
        assertEquals(17, c.training().steps());
        assertEquals(List.of(1, 2), c.model().multipliers());
        assertEquals(List.of(), c.model().attentionLevels());
        assertEquals(33L, c.sampling().seed());
    }

    @Test
    void overrideOfAnUnknownKeyOrWithoutEqualsSignIsAnError() {
        assertEquals("training.stepz", fails("", "training.stepz=3").key());
        ConfigException e = fails("", "training.steps");
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
        ConfigException e2 = fails("", "seed.x=1");
        assertEquals("seed", e2.key());
    }

    @Test
    void syntaxErrorGivesTheLine() {
        ConfigException e = fails("training:\n  steps: [1,\n");
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }
}
