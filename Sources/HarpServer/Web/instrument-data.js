// Harp web player — the instrument's parameters and the precomputed pieces of seed 001's layer.
//
// Everything here is plain arithmetic on Float32Arrays; nothing touches WebAudio.
// Shapes are written as in the Swift code: control [C, F], deformations [E, D],
// resonances [R, E, N] per layer. ref: seed 001 (resonancemodel.py, JohnVinyard/matching-pursuit
// @57a2880), docs/seed001-notes.md §3.

const f32 = Math.fround;

/** Parses a safetensors file (ArrayBuffer): {tensors: {name: {shape, data: Float32Array}}, metadata}. */
export function parseSafetensors(buffer) {
  const view = new DataView(buffer);
  if (buffer.byteLength < 8) throw new Error('not a safetensors file (too short)');
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > buffer.byteLength - 8 || headerLength > 100_000_000) throw new Error('bad safetensors header length');
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
  const dataStart = 8 + headerLength;
  const tensors = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (entry.dtype !== 'F32') throw new Error(`tensor ${name}: dtype ${entry.dtype} is not F32`);
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== 4 * count || dataStart + end > buffer.byteLength) throw new Error(`tensor ${name}: bad offsets`);
    // Copy so the data is aligned whatever the header length.
    const data = new Float32Array(buffer.slice(dataStart + begin, dataStart + end));
    tensors[name] = { shape: entry.shape, data };
  }
  return { tensors, metadata: header.__metadata__ || {} };
}

/** The instrument: configuration and parameters of every layer, from a parsed instrument file. */
export function readInstrument(parsed) {
  const m = parsed.metadata;
  if (m['harp.format'] !== 'instrument') throw new Error('not a Harp instrument file');
  const raw = JSON.parse(m['harp.config']);
  const config = {
    sampleRate: raw.samplerate, sampleCount: raw.n_samples, controlDimension: raw.control_plane_dim,
    resonanceCount: raw.n_resonances, expressivity: raw.expressivity, oscillatorCount: raw.n_oscillators,
    attackFrames: raw.attack_n_frames, attackSamples: raw.attack_full_size,
    step: raw.resonance_window_size / 2, deformationFrameSize: raw.deformation_frame_size,
  };
  config.frameCount = config.sampleCount / config.step;
  config.deformationFrames = config.sampleCount / config.deformationFrameSize;
  const layerCount = Number(m['harp.layers'] || 1);
  const t = (name) => {
    const entry = parsed.tensors[name];
    if (!entry) throw new Error(`missing parameter ${name}`);
    return entry.data;
  };
  const layers = [];
  for (let l = 0; l < layerCount; l++) {
    const p = `network.layers.${l}.`;
    layers.push({
      attackEnvelopes: t(p + 'attack_envelopes'), router: t(p + 'router'), mix: t(p + 'mix'), gains: t(p + 'gains'),
      damping: t(p + 'resonance.damping'), mass: t(p + 'resonance.mass'), tension: t(p + 'resonance.tension'),
      initialDisplacement: t(p + 'resonance.initial_displacement'), amplitudes: t(p + 'resonance.amplitudes'),
    });
  }
  return {
    config, layers, networkMix: t('network.mix'),
    controlPlane: t('control_plane'), deformations: t('deformations'),
  };
}

/** relu(plane + mean(plane)): the fitted control signal [C, F]. ref: seed 001 _process_control_plane */
export function controlSignal(instrument) {
  const plane = instrument.controlPlane;
  let sum = 0;
  for (const v of plane) sum += v;
  const mean = f32(sum / plane.length);
  return plane.map((v) => Math.max(f32(v + mean), 0));
}

/** softmax of a row of logits. */
export function softmax(values) {
  const max = Math.max(...values);
  const e = values.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * Linear interpolation of the last axis from L to size samples, align_corners = False
 * (torch F.interpolate(mode='linear')). ref: seed 001 interpolate_last_axis; notes §4.
 */
export function interpolate(row, size) {
  const L = row.length;
  const out = new Float32Array(size);
  const scale = f32(L / size);
  for (let i = 0; i < size; i++) {
    const src = Math.max(f32(f32(scale * (i + 0.5)) - 0.5), 0);
    const i0 = Math.min(Math.floor(src), L - 1);
    const i1 = i0 + (i0 < L - 1 ? 1 : 0);
    const l1 = f32(src - i0);
    out[i] = (1 - l1) * row[i0] + l1 * row[i1];
  }
  return out;
}

/**
 * The attack impulses of one layer: interpolate_last_axis(attack_envelopes, A_full) × noise, [C, A_full].
 * ref: seed 001 execute_layer (materialize_attack_envelopes).
 */
export function attackImpulses(layer, config, noise) {
  const { controlDimension: C, attackFrames: A, attackSamples: AF } = config;
  const out = new Float32Array(C * AF);
  for (let c = 0; c < C; c++) {
    const envelope = interpolate(layer.attackEnvelopes.subarray(c * A, (c + 1) * A), AF);
    for (let n = 0; n < AF; n++) out[c * AF + n] = envelope[n] * noise[c * AF + n];
  }
  return out;
}

/** Fresh attack noise U(-1, 1), [C, A_full] (one draw per performance, as the seed draws one per forward). */
export function drawNoise(config) {
  const noise = new Float32Array(config.controlDimension * config.attackSamples);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.random() * 2 - 1;
  return noise;
}

/**
 * The resonances of one layer as banks of damped oscillators, ready for the audio processor:
 * resonance g = r·E + e is h_g(n) = Σ_o Re(c_o·w_oⁿ) (n < N), so a[n] ⊛ h_g is computed exactly by
 * the complex one-pole filters s ← w_o·s + a[n], output Σ_o Re(c_o·s). Returns
 * {oscillators: K, wr, wi, cr, ci} with Float64Arrays [R·E·K]: K ≥ the oscillators that sound,
 * rounded up to a multiple of 4 with silent ones (c = 0).
 *
 * ref: seed 001 damped_harmonic_oscillator / DampedHarmonicOscillatorBlock; notes §3.2:
 *   m = σ(mass), b = 30·σ(damping), k = 10^tension, x = b / 2m, ω = √max(k − x², 1e-12)
 *   φ = atan2(x·d₀, d₀·ω), a = d₀ / cos φ, z(t) = a·e^(−x t)·cos(ω t − φ), t = linspace(0, 10, N)
 *   resonance = unit_norm(unit_norm(Σ_o amplitude² · z))   (once in the block, once in execute_layer)
 * so c_o = s·amplitude²·a·e^(−iφ) and w_o = e^((−x + iω)Δt), with s the two normalisations.
 * The constants are computed in float32 (Math.fround after each operation) as the model does,
 * so degenerate oscillators (ω clamped, φ ≈ ±π/2) come out the same; the norms from the signal
 * itself (N samples of Σ_o Re(c_o·w_oⁿ), run in double precision).
 */
export function buildResonators(layer, config) {
  const { resonanceCount: R, expressivity: E, oscillatorCount: O } = config;
  const G = R * E;
  const dt = f32(10 / (config.sampleCount - 1));
  const groups = [];
  for (let g = 0; g < G; g++) {
    const sounding = [];
    for (let o = 0; o < O; o++) {
      const k = oscillatorConstants(layer, o * G + g);
      if (k.amplitude !== 0 && isFinite(k.amplitude)) sounding.push(k);
    }
    groups.push(sounding);
  }
  const K = Math.max(4, 4 * Math.ceil(Math.max(...groups.map((g) => g.length)) / 4));
  const wr = new Float64Array(G * K), wi = new Float64Array(G * K), cr = new Float64Array(G * K), ci = new Float64Array(G * K);
  const signal = new Float64Array(config.sampleCount);
  groups.forEach((sounding, g) => {
    signal.fill(0);
    for (const k of sounding) addOscillator(signal, k, dt);
    const scale = normalisationScale(signal);
    sounding.forEach((k, j) => {
      const decay = Math.exp(-k.x * dt);
      wr[g * K + j] = decay * Math.cos(k.omega * dt);
      wi[g * K + j] = decay * Math.sin(k.omega * dt);
      cr[g * K + j] = scale * k.amplitude * Math.cos(k.phi);
      ci[g * K + j] = -scale * k.amplitude * Math.sin(k.phi);
    });
  });
  return { oscillators: K, wr, wi, cr, ci };
}

/**
 * s with s·x = unit_norm(unit_norm(x)), unit_norm(x) = x / (‖x‖₂ + 1e-8) (the first result
 * rounded to float32, as the model keeps it). ref: matching-pursuit modules/normalization.py
 */
function normalisationScale(x) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  const first = 1 / (Math.sqrt(s) + 1e-8);
  let s2 = 0;
  for (let i = 0; i < x.length; i++) { const v = f32(x[i] * first); s2 += v * v; }
  return first / (Math.sqrt(s2) + 1e-8);
}

/** Amplitude, decay x, frequency ω and phase φ of oscillator i (flat index into [O, R, E]), in float32. */
function oscillatorConstants(layer, i) {
  const sigmoid = (v) => f32(1 / f32(1 + f32(Math.exp(-v))));
  const m = sigmoid(layer.mass[i]);
  const b = f32(sigmoid(layer.damping[i]) * 30);
  const k = f32(Math.pow(10, layer.tension[i]));
  const d0 = layer.initialDisplacement[i];
  const x = f32(b / f32(2 * m));
  const omega = f32(Math.sqrt(Math.max(f32(k - f32(x * x)), 1e-12)));
  const phi = f32(Math.atan2(f32(x * d0), f32(d0 * omega)));
  const a = f32(d0 / f32(Math.cos(phi)));
  const amp = layer.amplitudes[i];
  return { amplitude: f32(a * f32(amp * amp)), x, omega, phi };
}

/** acc[n] += Re(c·wⁿ), c = amplitude·e^(−iφ), w = e^((−x+iω)Δt); stops once the envelope is negligible. */
function addOscillator(acc, k, dt) {
  if (k.amplitude === 0 || !isFinite(k.amplitude)) return;
  let sr = k.amplitude * Math.cos(k.phi), si = -k.amplitude * Math.sin(k.phi);
  const decay = Math.exp(-k.x * dt);
  const wr = decay * Math.cos(k.omega * dt), wi = decay * Math.sin(k.omega * dt);
  const floor = Math.abs(k.amplitude) * 1e-12;
  for (let n = 0; n < acc.length; n++) {
    acc[n] += sr;
    const r = sr * wr - si * wi;
    si = sr * wi + si * wr;
    sr = r;
    // |c·wⁿ| shrinks geometrically; once below 1e-12 of its start it no longer matters.
    if ((n & 255) === 255 && Math.abs(sr) + Math.abs(si) < floor && decay < 1) break;
  }
}

/**
 * Everything the audio processor needs, with the seed's mixing constants resolved:
 * dry/wet = softmax(mix[r]), gain = |gains[r]|, layer weights = softmax(network.mix),
 * deformation weights per frame = softmax over E of (one-hot(0) + deformations). ref: execute_layer
 */
export function processorSetup(instrument, resonators, noise) {
  const { config, layers } = instrument;
  const R = config.resonanceCount;
  return {
    config,
    layerWeights: softmax(Array.from(instrument.networkMix)),
    layers: layers.map((layer, l) => {
      const dry = new Float32Array(R), wet = new Float32Array(R), gain = new Float32Array(R);
      for (let r = 0; r < R; r++) {
        const [d, w] = softmax([layer.mix[2 * r], layer.mix[2 * r + 1]]);
        dry[r] = d; wet[r] = w; gain[r] = Math.abs(layer.gains[r]);
      }
      return { router: layer.router, impulses: attackImpulses(layer, config, noise[l]), resonators: resonators[l], dry, wet, gain };
    }),
  };
}

/** Softmax over E of (one-hot(0) + logits) for each of the D frames: weights [E, D]. */
export function deformationWeights(logits, E, D) {
  const out = new Float32Array(E * D);
  for (let f = 0; f < D; f++) {
    const row = [];
    for (let e = 0; e < E; e++) row.push((e === 0 ? 1 : 0) + logits[e * D + f]);
    softmax(row).forEach((w, e) => { out[e * D + f] = w; });
  }
  return out;
}

/** Deformation logits for a slider position p in [0, 1]: a bump centred on variant p·(E−1). */
export function sliderLogits(p, E) {
  const centre = p * (E - 1);
  const logits = new Float32Array(E);
  for (let e = 0; e < E; e++) logits[e] = -4 * (e - centre) * (e - centre) - (e === 0 ? 1 : 0); // cancels the resting +1 on variant 0
  return logits;
}
