/**
 * The data of the text-to-image experiment (docs/text-to-image-data.md): captioned Fashion-MNIST scenes made
 * from a seed ({@link org.diffusion4j.experiments.scenes.CaptionedScenes}, content
 * {@link org.diffusion4j.experiments.scenes.SceneSpec}, geometry
 * {@link org.diffusion4j.experiments.scenes.SceneLayout}, held-out combinations
 * {@link org.diffusion4j.experiments.scenes.HeldOutCombinations}), captions written and read back
 * ({@link org.diffusion4j.experiments.scenes.CaptionWriter}, {@link org.diffusion4j.experiments.scenes.CaptionParser}),
 * the word tokenizer ({@link org.diffusion4j.experiments.scenes.WordTokenizer}), and the score of whether
 * samples show what their prompts ask ({@link org.diffusion4j.experiments.scenes.PromptFollowingScore}, with the
 * class-conditional baseline's canvases {@link org.diffusion4j.experiments.scenes.BaselineCanvas}).
 */
package org.diffusion4j.experiments.scenes;
