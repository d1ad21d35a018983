// Harp web player — the WebAudio graph of one instrument, for live play and offline rendering.
//
//   harp-excite ──(L·R mono)──► ConvolverNode[l, r, e] (resonance [l, r, e]) ──► harp-mix ──► out
//        └──────────────────────── dry attacks ───────────────────────────────────┘
//
// ref: seed 001 execute_layer; the same chain as `harp render` (InstrumentModel.render).

import { buildResonances, deformationWeights, processorSetup } from './instrument-data.js';

/** The resonances of every layer ([R·E] Float32Arrays each), built once per instrument. */
export function instrumentResonances(instrument) {
  return instrument.layers.map((layer) => buildResonances(layer, instrument.config));
}

/**
 * Builds the graph in `context` (an AudioContext or OfflineAudioContext).
 * @param noise one Float32Array [C·A_full] per layer
 * @param options.performance {control [C·F], start} scheduled from the start, optional
 * @param options.curve {logits [E·D], start} deformation curve from the start, optional
 * @returns {excite, mix}: connect `mix` to the destination.
 */
export async function buildGraph(context, instrument, resonances, noise, options = {}) {
  await context.audioWorklet.addModule('/static/worklet.js');
  const { config } = instrument;
  const { resonanceCount: R, expressivity: E, deformationFrames: D, sampleCount: N, sampleRate } = config;
  const L = instrument.layers.length;
  const setup = processorSetup(instrument, noise);
  const curve = options.curve
    ? { weights: deformationWeights(options.curve.logits, E, D), start: options.curve.start } : null;
  const excite = new AudioWorkletNode(context, 'harp-excite', {
    numberOfInputs: 0, numberOfOutputs: L * R, outputChannelCount: new Array(L * R).fill(1),
    processorOptions: { ...setup, performance: options.performance || null },
  });
  const mix = new AudioWorkletNode(context, 'harp-mix', {
    numberOfInputs: L * R * E + L * R, numberOfOutputs: 1, outputChannelCount: [1],
    channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'speakers',
    processorOptions: { ...setup, curve },
  });
  for (let l = 0; l < L; l++) {
    for (let r = 0; r < R; r++) {
      for (let e = 0; e < E; e++) {
        // fft_convolve(routed attacks, resonance): the ConvolverNode does the causal linear convolution.
        const convolver = new ConvolverNode(context, { disableNormalization: true });
        const response = audibleHead(resonances[l][r * E + e]);
        const buffer = context.createBuffer(1, response.length, sampleRate);
        buffer.copyToChannel(response, 0);
        convolver.buffer = buffer;
        excite.connect(convolver, l * R + r, 0);
        convolver.connect(mix, 0, (l * R + r) * E + e);
      }
      excite.connect(mix, l * R + r, L * R * E + l * R + r);
    }
  }
  return { excite, mix };
}

/**
 * The response up to its last sample above 1e-7 of its peak (at least 128 samples): the decayed
 * tail adds nothing audible, and convolution cost grows with the response length.
 */
function audibleHead(response) {
  let peak = 0;
  for (const v of response) peak = Math.max(peak, Math.abs(v));
  let end = response.length;
  while (end > 128 && Math.abs(response[end - 1]) <= 1e-7 * peak) end--;
  return response.subarray(0, end);
}

/**
 * Renders a performance offline (OfflineAudioContext), as `harp render` does: N samples of
 * `control` [C·F] with deformation logits [E·D] and the given attack noise.
 */
export async function renderOffline(instrument, resonances, { control, deformations, noise }) {
  const { sampleRate, sampleCount } = instrument.config;
  const context = new OfflineAudioContext(1, sampleCount, sampleRate);
  const graph = await buildGraph(context, instrument, resonances, noise, {
    performance: { control, start: 0 }, curve: { logits: deformations, start: 0 },
  });
  graph.mix.connect(context.destination);
  const rendered = await context.startRendering();
  return rendered.getChannelData(0);
}
