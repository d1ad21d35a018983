// Harp web player — test harness, used by Tests/HarpServerTests only. Modes (`?mode=`):
//   offline  renders the case served at /test/case offline and posts the samples to /test/result
//   live     plays events into a running AudioContext (about a second, or `seconds` of live-style
//            playing) and posts the recording, the clock ratio and the underruns
//   speed    times offline renders of `seconds` of live-style playing (the real-time factor)
// Errors go to /test/error.

import { controlSignal, deformationWeights, drawNoise, parseSafetensors, readInstrument } from './instrument-data.js';
import { buildGraph, instrumentResonators, renderOffline } from './engine.js';

const query = new URLSearchParams(location.search);

async function fetchBuffer(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.arrayBuffer();
}

async function loadInstrument() {
  return readInstrument(parseSafetensors(await fetchBuffer(`/instruments/${query.get('instrument')}/parameters`)));
}

async function run() {
  const instrument = await loadInstrument();
  const testCase = parseSafetensors(await fetchBuffer('/test/case')).tensors;
  const noise = instrument.layers.map((_, l) => testCase[`noise.${l}`].data);
  const started = performance.now();
  const resonators = instrumentResonators(instrument);
  const built = performance.now();
  const samples = await renderOffline(instrument, resonators, {
    control: testCase.control.data, deformations: testCase.deformations.data, noise,
  });
  const resonatorMs = Math.round(built - started), renderMs = Math.round(performance.now() - built);
  document.body.textContent = `resonators ${resonatorMs} ms, rendering ${samples.length} samples ${renderMs} ms`;
  await fetch(`/test/result?resonator_ms=${resonatorMs}&render_ms=${renderMs}`, { method: 'POST', body: samples });
}

/**
 * The live path: a real AudioContext, events sent to the running worklet as the player sends them
 * (port messages), the output captured through the record messages and posted back, with how far
 * the context's clock advanced against the wall clock meanwhile. By default five strikes over about
 * a second; with `seconds=S`, two seconds of settling, S seconds with nothing played, then S seconds
 * of live-style playing (liveStyleControl) sent as one performance message, and the underruns the
 * browser counted in both windows (AudioContext.playbackStats, where the browser has it).
 */
async function runLive() {
  const instrument = await loadInstrument();
  const { config } = instrument;
  const context = new AudioContext({ sampleRate: config.sampleRate, latencyHint: 'interactive' });
  await context.resume();
  const node = await buildGraph(context, instrument, instrumentResonators(instrument),
    instrument.layers.map(() => drawNoise(config)));
  node.connect(context.destination);
  const blocks = [];
  node.port.onmessage = (message) => blocks.push(message.data);
  const sustained = Number(query.get('seconds') || 0);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const underruns = () => (context.playbackStats
    ? { events: context.playbackStats.underrunEvents, seconds: context.playbackStats.underrunDuration } : null);
  let idle = '';
  if (sustained) {
    await sleep(2000); // start-up (compiling the worklet, opening the device) is not playing
    // The baseline: as long again with the engine running but nothing played.
    const first = underruns();
    await sleep(1000 * sustained);
    const last = underruns();
    if (first && last) idle = `&idle_underrun_events=${last.events - first.events}&idle_underrun_seconds=${(last.seconds - first.seconds).toFixed(4)}`;
  }
  node.port.postMessage({ type: 'record', on: true });
  const wallStart = performance.now(), audioStart = context.currentTime, before = underruns();
  if (sustained) {
    const frames = Math.round(sustained * config.sampleRate);
    const { control, frameCount } = liveStyleControl(instrument, frames);
    const start = Math.round((context.currentTime + 0.05) * config.sampleRate);
    node.port.postMessage({ type: 'performance', control, start, frameCount });
    await sleep(1000 * sustained + 50);
  } else {
    const control = controlSignal(instrument);
    const column = new Float32Array(config.controlDimension).map((_, c) => 1 + control[c * config.frameCount]);
    for (let i = 0; i < 5; i++) {
      const time = Math.round(context.currentTime * config.sampleRate);
      node.port.postMessage({ type: 'events', events: [{ time, control: column }] });
      await sleep(200);
    }
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const clockRatio = (context.currentTime - audioStart) / wallSeconds;
  const after = underruns();
  node.port.postMessage({ type: 'record', on: false });
  await sleep(100);
  const samples = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const block of blocks) { samples.set(block, offset); offset += block.length; }
  const stats = before && after
    ? `&underrun_events=${after.events - before.events}&underrun_seconds=${(after.seconds - before.seconds).toFixed(4)}` : '';
  await fetch(`/test/result?state=${context.state}&clock_ratio=${clockRatio.toFixed(4)}&wall_seconds=${wallSeconds.toFixed(3)}` +
    `&base_latency=${context.baseLatency}&output_latency=${context.outputLatency}${stats}${idle}`, { method: 'POST', body: samples });
}

/**
 * What a person does live, as one control signal [C, F'] of `frames` samples: the fitted
 * performance replayed back to back, and a strike (1 on one control dimension, in turn) every
 * 100 ms on top. Returns {control, frameCount: F'}.
 */
function liveStyleControl(instrument, frames) {
  const { controlDimension: C, frameCount: F, step, sampleRate } = instrument.config;
  const fitted = controlSignal(instrument);
  const frameCount = Math.ceil(frames / step);
  const control = new Float32Array(C * frameCount);
  for (let f = 0; f < frameCount; f++) {
    for (let c = 0; c < C; c++) control[c * frameCount + f] = fitted[c * F + (f % F)];
  }
  const strikeEvery = Math.round(0.1 * sampleRate / step);
  for (let f = 0; f < frameCount; f += strikeEvery) control[((f / strikeEvery) % C) * frameCount + f] += 1;
  return { control, frameCount };
}

/**
 * The real-time factor: `seconds` of live-style playing (liveStyleControl, the deformation swept)
 * rendered offline through the player's graph, timed against the wall clock, `runs` times (each a
 * fresh context; each render is bracketed by POSTs to /test/mark, where the test reads the browser's
 * CPU time). Posts [audio seconds, resonator setup ms, peak, render ms of each run].
 */
async function runSpeed() {
  const instrument = await loadInstrument();
  const { config } = instrument;
  const { sampleRate, expressivity: E, deformationFrames: D } = config;
  const frames = Math.round(Number(query.get('seconds') || 10) * sampleRate);
  const started = performance.now();
  const resonators = instrumentResonators(instrument);
  const resonatorMs = performance.now() - started;
  const { control, frameCount } = liveStyleControl(instrument, frames);
  const sweep = new Float32Array(E * D).map((_, i) => (i < D ? 0 : 3 * Math.sin((2 * Math.PI * (i % D)) / D)));
  const renderMs = [];
  let peak = 0;
  for (let run = 0; run < Number(query.get('runs') || 1); run++) {
    const context = new OfflineAudioContext(1, frames, sampleRate);
    const node = await buildGraph(context, instrument, resonators, instrument.layers.map(() => drawNoise(config)), {
      performance: { control, start: 0, frameCount }, curve: { weights: deformationWeights(sweep, E, D), start: 0 },
    });
    node.connect(context.destination);
    await fetch('/test/mark', { method: 'POST' }); // the test reads the browser's CPU time here…
    const renderStart = performance.now();
    const rendered = await context.startRendering();
    renderMs.push(performance.now() - renderStart);
    await fetch('/test/mark', { method: 'POST' }); // …and here
    for (const v of rendered.getChannelData(0)) peak = Math.max(peak, Math.abs(v));
  }
  document.body.textContent = `${frames / sampleRate} s rendered in ${renderMs.map((ms) => ms.toFixed(0)).join(', ')} ms`;
  await fetch('/test/result', { method: 'POST', body: new Float32Array([frames / sampleRate, resonatorMs, peak, ...renderMs]) });
}

const modes = { offline: run, live: runLive, speed: runSpeed };
(modes[query.get('mode')] || run)().catch((error) => fetch('/test/error', { method: 'POST', body: String(error && error.stack || error) }));
