// Harp web player — test harness: renders the case served at /test/case offline and posts the
// samples to /test/result (errors to /test/error). Used by Tests/HarpServerTests only.

import { parseSafetensors, readInstrument } from './instrument-data.js';
import { instrumentResonances, renderOffline } from './engine.js';

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

run().catch((error) => fetch('/test/error', { method: 'POST', body: String(error && error.stack || error) }));
