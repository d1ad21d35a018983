// Harp web player — test harness: renders the case served at /test/case offline and posts the
// samples to /test/result (errors to /test/error). Used by Tests/HarpServerTests only.

import { controlSignal, drawNoise, parseSafetensors, readInstrument } from './instrument-data.js';
import { buildGraph, instrumentResonances, renderOffline } from './engine.js';

async function fetchBuffer(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.arrayBuffer();
}

async function run() {
  const id = new URLSearchParams(location.search).get('instrument');
  const instrument = readInstrument(parseSafetensors(await fetchBuffer(`/instruments/${id}/parameters`)));
  const testCase = parseSafetensors(await fetchBuffer('/test/case')).tensors;
  const noise = instrument.layers.map((_, l) => testCase[`noise.${l}`].data);
  const started = performance.now();
  const resonances = instrumentResonances(instrument);
  const built = performance.now();
  const samples = await renderOffline(instrument, resonances, {
    control: testCase.control.data, deformations: testCase.deformations.data, noise,
  });
  const resonanceMs = Math.round(built - started), renderMs = Math.round(performance.now() - built);
  document.body.textContent = `resonances ${resonanceMs} ms, rendering ${samples.length} samples ${renderMs} ms`;
  await fetch(`/test/result?resonance_ms=${resonanceMs}&render_ms=${renderMs}`, { method: 'POST', body: samples });
}

/**
 * The live path (`?mode=live`): a real AudioContext, events sent to the running worklet as the
 * player sends them (port messages), the output captured through the mix's record messages for
 * about a second and posted back.
 */
async function runLive() {
  const id = new URLSearchParams(location.search).get('instrument');
  const instrument = readInstrument(parseSafetensors(await fetchBuffer(`/instruments/${id}/parameters`)));
  const { config } = instrument;
  const context = new AudioContext({ sampleRate: config.sampleRate });
  await context.resume();
  const graph = await buildGraph(context, instrument, instrumentResonances(instrument),
    instrument.layers.map(() => drawNoise(config)));
  graph.mix.connect(context.destination);
  const blocks = [];
  graph.mix.port.onmessage = (message) => blocks.push(message.data);
  graph.mix.port.postMessage({ type: 'record', on: true });
  const control = controlSignal(instrument);
  const column = new Float32Array(config.controlDimension).map((_, c) => 1 + control[c * config.frameCount]);
  for (let i = 0; i < 5; i++) {
    const time = Math.round(context.currentTime * config.sampleRate);
    graph.excite.port.postMessage({ type: 'events', events: [{ time, control: column }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  graph.mix.port.postMessage({ type: 'record', on: false });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const samples = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const block of blocks) { samples.set(block, offset); offset += block.length; }
  await fetch(`/test/result?state=${context.state}`, { method: 'POST', body: samples });
}

const live = new URLSearchParams(location.search).get('mode') === 'live';
(live ? runLive() : run()).catch((error) => fetch('/test/error', { method: 'POST', body: String(error && error.stack || error) }));
