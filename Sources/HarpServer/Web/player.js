// Harp web player — the page's controls: XY pad, computer keyboard, WebMIDI, device motion,
// deformation slider, replay of the fitted performance, recording to WAV.

import { controlSignal, deformationWeights, drawNoise, parseSafetensors, readInstrument, sliderLogits } from './instrument-data.js';
import { buildGraph, instrumentResonators } from './engine.js';
import { distinctColumns } from './events.js';
import { encodeWAV } from './wav.js';

const KEYS = 'asdfghjkl;qwertyuiop';
const $ = (id) => document.getElementById(id);
const state = { instrument: null, resonators: null, events: [], context: null, node: null, master: null, recording: null, replayTimer: 0 };

/**
 * What the page is doing, shown in the status line and as `data-state` on #player:
 * loading, ready, playing, recording or error, with a detail.
 */
function setState(name, detail) {
  $('player').dataset.state = name;
  $('status').textContent = detail ? `${name} — ${detail}` : name;
}

/** The audio path's latency as the browser reports it (outputLatency is 0 where unknown). */
function showLatency() {
  const context = state.context;
  if (!context) return;
  const ms = (seconds) => `${(1000 * seconds).toFixed(1)} ms`;
  const output = context.outputLatency ? `, output ${ms(context.outputLatency)}` : ', output unknown';
  $('latency').textContent = `latency: base ${ms(context.baseLatency || 0)}${output} at ${context.sampleRate} Hz`;
}

/** The status of a playing context, keeping a take that is being recorded in the line. */
function showPlaying(detail) {
  if (state.recording) setState('recording', `${detail}; press Stop recording to keep the take`);
  else setState('playing', detail);
}

/** Loads the instrument and builds its resonators (the slow part, done once). */
async function load() {
  const id = $('player').dataset.instrument;
  const response = await fetch(`/instruments/${encodeURIComponent(id)}/parameters`);
  if (!response.ok) throw new Error(`parameters: ${response.status}`);
  state.instrument = readInstrument(parseSafetensors(await response.arrayBuffer()));
  const { config } = state.instrument;
  state.fittedControl = controlSignal(state.instrument);
  state.events = distinctColumns(state.fittedControl, config.controlDimension, config.frameCount, KEYS.length);
  drawKeys();
  setState('loading', 'building resonators…');
  await new Promise((resolve) => setTimeout(resolve, 0));
  state.resonators = instrumentResonators(state.instrument);
  $('start').disabled = false;
  setState('ready', `${state.events.length} events learned from the performance; press Start sound`);
}

/** Starts the audio graph (browsers allow sound only after a gesture). */
async function start() {
  if (state.context) return;
  const { config } = state.instrument;
  const context = new AudioContext({ sampleRate: config.sampleRate, latencyHint: 'interactive' });
  const noise = state.instrument.layers.map(() => drawNoise(config));
  const node = await buildGraph(context, state.instrument, state.resonators, noise);
  const master = new GainNode(context);
  node.connect(master).connect(context.destination);
  node.port.onmessage = (message) => state.recording && state.recording.push(message.data);
  Object.assign(state, { context, node, master });
  await context.resume();
  setVolume();
  setDeformation($('deformation').value);
  $('start').disabled = true;
  $('replay').disabled = false;
  $('record').disabled = false;
  showPlaying('keys, pad, MIDI or motion');
  showLatency();
  setInterval(showLatency, 2000);
  connectMIDI();
}

/** Plays a control column [C] scaled by `strength` now. */
function trigger(column, strength) {
  if (!state.context) return;
  const control = column.map((v) => v * strength);
  const time = Math.round(state.context.currentTime * state.context.sampleRate);
  state.node.port.postMessage({ type: 'events', events: [{ time, control }] });
}

/** Event x ∈ [0, 1] across the learned events, interpolating between neighbours. */
function eventAt(x) {
  const n = state.events.length;
  if (n === 0) return null;
  const position = Math.min(Math.max(x, 0), 1) * (n - 1);
  const i = Math.floor(position), frac = position - i;
  const a = state.events[i], b = state.events[Math.min(i + 1, n - 1)];
  return a.map((v, c) => (1 - frac) * v + frac * b[c]);
}

function setVolume() {
  if (state.master) state.master.gain.value = Number($('volume').value) * 2 / state.instrument.config.resonanceCount;
}

function setDeformation(p) {
  if (!state.node) return;
  const { expressivity: E } = state.instrument.config;
  const weights = deformationWeights(sliderLogits(Number(p), E), E, 1);
  state.node.port.postMessage({ type: 'deformation', weights });
}

/** Replays the fitted control signal and deformation curve from now. */
function replay() {
  const { config } = state.instrument;
  const start = Math.round((state.context.currentTime + 0.05) * config.sampleRate);
  state.node.port.postMessage({ type: 'performance', control: state.fittedControl, start });
  const weights = deformationWeights(state.instrument.deformations, config.expressivity, config.deformationFrames);
  state.node.port.postMessage({ type: 'curve', weights, start });
  const seconds = config.sampleCount / config.sampleRate;
  showPlaying(`replaying the original performance (${seconds.toFixed(1)} s)`);
  clearTimeout(state.replayTimer);
  state.replayTimer = setTimeout(() => showPlaying('keys, pad, MIDI or motion'), 1000 * seconds + 50);
}

/** Toggles recording; on stop offers the take as a WAV download. */
function toggleRecord() {
  const button = $('record');
  if (!state.recording) {
    state.recording = [];
    state.node.port.postMessage({ type: 'record', on: true });
    button.textContent = 'Stop recording';
    setState('recording', 'press Stop recording to keep the take');
    return;
  }
  state.node.port.postMessage({ type: 'record', on: false });
  const blocks = state.recording;
  state.recording = null;
  button.textContent = 'Record';
  const wav = encodeWAV(blocks, state.instrument.config.sampleRate, 2 / state.instrument.config.resonanceCount);
  const link = $('download');
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([wav], { type: 'audio/wav' }));
  link.download = `harp-${$('player').dataset.instrument}-${Date.now()}.wav`;
  link.hidden = false;
  const seconds = blocks.reduce((n, block) => n + block.length, 0) / state.instrument.config.sampleRate;
  setState('playing', `recorded ${seconds.toFixed(1)} s; Download WAV keeps it`);
}

function drawKeys() {
  const keys = $('keys');
  keys.replaceChildren();
  state.events.forEach((_, i) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = KEYS[i];
    button.title = `event ${i + 1} (key ${KEYS[i]})`;
    button.addEventListener('pointerdown', () => trigger(state.events[i], 1));
    keys.append(button);
  });
}

/** Multi-touch XY pad: x picks the event, y its strength; moving a held finger plays again. */
function wirePad() {
  const pad = $('pad');
  const touches = new Map();
  const play = (event, touch) => {
    const box = pad.getBoundingClientRect();
    const x = (event.clientX - box.left) / box.width, y = (event.clientY - box.top) / box.height;
    const column = eventAt(x);
    if (column) trigger(column, 0.25 + 1.75 * (1 - Math.min(Math.max(y, 0), 1)));
    Object.assign(touch, { x, y, time: performance.now() });
  };
  pad.addEventListener('pointerdown', (event) => {
    pad.setPointerCapture(event.pointerId);
    const touch = {};
    touches.set(event.pointerId, touch);
    play(event, touch);
  });
  pad.addEventListener('pointermove', (event) => {
    const touch = touches.get(event.pointerId);
    if (!touch) return;
    const box = pad.getBoundingClientRect();
    const moved = Math.hypot((event.clientX - box.left) / box.width - touch.x, (event.clientY - box.top) / box.height - touch.y);
    if (moved > 0.04 && performance.now() - touch.time > 50) play(event, touch);
  });
  const end = (event) => touches.delete(event.pointerId);
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
}

function wireKeyboard() {
  document.addEventListener('keydown', (event) => {
    if (event.repeat || event.target.tagName === 'INPUT') return;
    const i = KEYS.indexOf(event.key.toLowerCase());
    if (i >= 0 && i < state.events.length) trigger(state.events[i], event.shiftKey ? 2 : 1);
  });
}

/** WebMIDI, where the browser has it: note-on → event (note mod count), velocity → strength; CC1 → deformation. */
async function connectMIDI() {
  if (!navigator.requestMIDIAccess) { $('midi').textContent = 'MIDI: not available in this browser'; return; }
  try {
    const access = await navigator.requestMIDIAccess();
    const listen = () => {
      const names = [];
      for (const input of access.inputs.values()) { input.onmidimessage = onMIDI; names.push(input.name); }
      $('midi').textContent = names.length ? `MIDI: ${names.join(', ')}` : 'MIDI: no device';
    };
    access.onstatechange = listen;
    listen();
  } catch (error) {
    $('midi').textContent = `MIDI: ${error.message}`;
  }
}

function onMIDI(message) {
  const [status, data1, data2] = message.data;
  const kind = status & 0xf0;
  if (kind === 0x90 && data2 > 0 && state.events.length) trigger(state.events[data1 % state.events.length], 2 * data2 / 127);
  if (kind === 0xb0 && data1 === 1) { $('deformation').value = data2 / 127; setDeformation(data2 / 127); }
}

/** Device motion: a shake plays the event chosen by the tilt (gamma); the pitch (beta) deforms. */
async function enableMotion() {
  for (const kind of [globalThis.DeviceMotionEvent, globalThis.DeviceOrientationEvent]) {
    if (!kind || !kind.requestPermission) continue;
    const answer = await kind.requestPermission();
    if (answer !== 'granted') { $('motion').textContent = `Motion: ${answer}`; return; }
  }
  let last = 0;
  let tilt = 0.5;
  window.addEventListener('deviceorientation', (event) => {
    if (event.gamma != null) tilt = (event.gamma + 90) / 180;
    if (event.beta != null) {
      const p = Math.min(Math.max((event.beta + 90) / 180, 0), 1);
      $('deformation').value = p;
      setDeformation(p);
    }
  });
  window.addEventListener('devicemotion', (event) => {
    const a = event.acceleration || {};
    const magnitude = Math.hypot(a.x || 0, a.y || 0, a.z || 0);
    const now = performance.now();
    if (magnitude > 6 && now - last > 120) {
      last = now;
      const column = eventAt(tilt);
      if (column) trigger(column, Math.min(magnitude / 12, 2));
    }
  });
  $('motion').textContent = 'Motion on';
  $('motion').disabled = true;
}

function wire() {
  $('start').addEventListener('click', () => start().catch((error) => setState('error', error.message)));
  $('replay').addEventListener('click', replay);
  $('record').addEventListener('click', toggleRecord);
  $('volume').addEventListener('input', setVolume);
  $('deformation').addEventListener('input', (event) => setDeformation(event.target.value));
  $('motion').addEventListener('click', () => enableMotion().catch((error) => setState('error', `motion: ${error.message}`)));
  wirePad();
  wireKeyboard();
}

wire();
load().catch((error) => setState('error', error.message));

