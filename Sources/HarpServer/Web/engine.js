// Harp web player — the WebAudio graph of one instrument, for live play and offline rendering:
// a single AudioWorklet node (`harp-instrument`, Web/worklet.js) with one mono output.
//
// ref: seed 001 execute_layer; the same chain as `harp render` (InstrumentModel.render).

import { buildResonators, deformationWeights, processorSetup } from './instrument-data.js';

/** The resonator banks of every layer (Web/instrument-data.js buildResonators), built once per instrument. */
export function instrumentResonators(instrument) {
  return instrument.layers.map((layer) => buildResonators(layer, instrument.config));
}

/**
 * Builds the graph in `context` (an AudioContext or OfflineAudioContext).
 * @param noise one Float32Array [C·A_full] per layer
 * @param options.performance {control [C·F], start, frameCount (F, the model's unless given)} scheduled from the start, optional
 * @param options.curve {weights [E·D], start} deformation weights (deformationWeights) from the start, optional
 * @returns the AudioWorkletNode: connect it to the destination; its port takes the messages
 *   {type: 'events', events: [{time, control}]}, {type: 'performance', control, start},
 *   {type: 'deformation', weights}, {type: 'curve', weights, start}, {type: 'record', on}, {type: 'stop'},
 *   and posts the output blocks while recording.
 */
export async function buildGraph(context, instrument, resonators, noise, options = {}) {
  await context.audioWorklet.addModule('/static/worklet.js');
  return new AudioWorkletNode(context, 'harp-instrument', {
    numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1],
    processorOptions: { ...processorSetup(instrument, resonators, noise), performance: options.performance || null, curve: options.curve || null },
  });
}

/**
 * Renders a performance offline (OfflineAudioContext), as `harp render` does: N samples of
 * `control` [C·F] with deformation logits [E·D] and the given attack noise.
 */
export async function renderOffline(instrument, resonators, { control, deformations, noise }) {
  const { sampleRate, sampleCount, expressivity: E, deformationFrames: D } = instrument.config;
  const context = new OfflineAudioContext(1, sampleCount, sampleRate);
  const node = await buildGraph(context, instrument, resonators, noise, {
    performance: { control, start: 0 }, curve: { weights: deformationWeights(deformations, E, D), start: 0 },
  });
  node.connect(context.destination);
  const rendered = await context.startRendering();
  return rendered.getChannelData(0);
}
