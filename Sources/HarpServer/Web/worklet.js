// Harp web player — the instrument as one AudioWorklet processor, for live play and offline rendering.
//
//   control events ──► routing ──► attack impulses a[l, r] ──► resonators (damped oscillators) ──► mix ──► out
//
// ref: seed 001 execute_layer (docs/seed001-notes.md §3.3), the same chain as `harp render`
// (InstrumentModel.render). Times are absolute sample frames of the audio context (the worklet
// global `currentFrame`). Nothing in process() allocates, except the blocks posted while recording.

const BLOCK = 128;        // the render quantum
const SILENT = 1e-10;     // a resonator whose every oscillator is below this (and gets no input) is skipped

/**
 * For every layer l and resonance r:
 *   a[l, r](t) = Σ_events routed[l, r]·impulse[l, r](t − t_event)   (attack: envelope × noise)
 *   conv[l, r, e] = a[l, r] ⊛ resonance[l, r, e]
 *   y_l = Σ_r tanh(|gain_r|·(dry_r·a[l, r] + wet_r·Σ_e d_e(t)·conv[l, r, e]))
 *   out = Σ_l softmax(network.mix)_l·y_l
 * routed = routerᵀ·control per layer (layer l driven by layer l−1's routed control, seed
 * ResonanceStack); d(t) the deformation weights (a performance's curve [E, D] interpolated to
 * samples, align_corners = False, or the live slider's weights, smoothed).
 *
 * The resonance is a sum of damped oscillators h(n) = Σ_o Re(c_o·w_oⁿ), so the convolution is
 * computed exactly as a bank of complex one-pole filters s ← w·s + a, conv = Σ_o Re(c_o·s): its
 * cost does not depend on how long the resonance rings (Web/instrument-data.js buildResonators).
 */
class InstrumentProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const setup = options.processorOptions;
    this.config = setup.config;
    this.layers = setup.layers;
    this.layerWeights = Float64Array.from(setup.layerWeights);
    const { resonanceCount: R, expressivity: E } = this.config;
    const L = this.layers.length;
    this.pending = [];   // events not started yet, sorted by time: {time, amplitudes [L·R]}
    this.voices = [];    // sounding attacks
    this.attack = new Float64Array(L * R * BLOCK);
    this.excited = new Uint8Array(L * R);
    this.silent = this.layers.map((layer) => new Uint8Array(R * E).fill(1));
    this.states = this.layers.map((layer) => ({
      re: new Float64Array(layer.resonators.wr.length), im: new Float64Array(layer.resonators.wr.length),
    }));
    this.convolved = new Float64Array(BLOCK);
    this.wet = new Float64Array(BLOCK);
    this.layerSum = new Float64Array(BLOCK);
    this.deformation = new Float64Array(E * BLOCK);
    this.live = new Float64Array(E);
    this.live[0] = 1;
    this.target = Float64Array.from(this.live);
    this.curve = setup.curve || null; // {weights [E, D], start}
    this.recording = false;
    if (setup.performance) this.schedule(setup.performance.control, setup.performance.start, setup.performance.frameCount);
    this.warmUp();
    this.port.onmessage = (message) => this.receive(message.data);
  }

  receive(data) {
    if (data.type === 'events') {
      for (const event of data.events) this.pending.push({ time: event.time, amplitudes: this.route(event.control) });
      this.pending.sort((a, b) => a.time - b.time);
    } else if (data.type === 'performance') {
      this.schedule(data.control, data.start, data.frameCount);
    } else if (data.type === 'deformation') {
      this.target = Float64Array.from(data.weights);
    } else if (data.type === 'curve') {
      this.curve = { weights: data.weights, start: data.start };
    } else if (data.type === 'record') {
      this.recording = data.on;
    } else if (data.type === 'stop') {
      this.pending = [];
      this.voices = [];
      this.curve = null;
    }
  }

  /** A whole control signal [C, F] from frame `start`: column f at start + f·step (F: the model's, unless given). */
  schedule(control, start, frameCount) {
    const { controlDimension: C, step } = this.config;
    const F = frameCount || this.config.frameCount;
    for (let f = 0; f < F; f++) {
      const column = new Float32Array(C);
      let any = false;
      for (let c = 0; c < C; c++) {
        column[c] = control[c * F + f];
        if (column[c] !== 0) any = true;
      }
      if (any) this.pending.push({ time: start + f * step, amplitudes: this.route(column) });
    }
    this.pending.sort((a, b) => a.time - b.time);
  }

  /** routed_l = router_lᵀ · control_l, control_0 = the column, control_l = routed_(l−1). */
  route(column) {
    const { controlDimension: C, resonanceCount: R } = this.config;
    const out = new Float32Array(this.layers.length * R);
    let input = column;
    this.layers.forEach((layer, l) => {
      const routed = new Float32Array(R);
      for (let r = 0; r < R; r++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += layer.router[c * R + r] * input[c];
        routed[r] = s;
      }
      out.set(routed, l * R);
      input = routed;
    });
    return out;
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    const L = this.layers.length;
    this.startVoices(currentFrame + out.length);
    this.placeAttacks(out.length);
    this.deformationBlock(out.length);
    out.fill(0);
    for (let l = 0; l < L; l++) {
      this.renderLayer(l, out.length);
      const weight = this.layerWeights[l];
      for (let i = 0; i < out.length; i++) out[i] += weight * this.layerSum[i];
    }
    if (this.recording) this.port.postMessage(out.slice());
    return true;
  }

  /** Moves the events due before `end` to the sounding voices (a late live event sounds from now). */
  startVoices(end) {
    let due = 0;
    while (due < this.pending.length && this.pending[due].time < end) {
      const event = this.pending[due++];
      event.time = Math.max(event.time, currentFrame);
      this.voices.push(event);
    }
    if (due > 0) this.pending.splice(0, due);
  }

  /** a[l, r] for this block from every sounding voice; drops voices whose attack has ended. */
  placeAttacks(frames) {
    const { resonanceCount: R, attackSamples: A } = this.config;
    const L = this.layers.length;
    this.attack.fill(0);
    this.excited.fill(0);
    let kept = 0;
    for (let v = 0; v < this.voices.length; v++) {
      const voice = this.voices[v];
      const offset = voice.time - currentFrame;
      const from = Math.max(0, offset), to = Math.min(frames, offset + A);
      for (let l = 0; l < L; l++) {
        const impulses = this.layers[l].impulses;
        for (let r = 0; r < R; r++) {
          const amplitude = voice.amplitudes[l * R + r];
          if (amplitude === 0 || from >= to) continue;
          const k = l * R + r, target = k * BLOCK, base = r * A - offset;
          for (let i = from; i < to; i++) this.attack[target + i] += amplitude * impulses[base + i];
          this.excited[k] = 1;
        }
      }
      if (offset + A > frames) this.voices[kept++] = voice;
    }
    this.voices.length = kept;
  }

  /** Deformation weights d_e(t) of this block into this.deformation [E, BLOCK]. ref: interpolate_last_axis */
  deformationBlock(frames) {
    const { expressivity: E, deformationFrames: D, sampleCount: N } = this.config;
    const curve = this.curve, d = this.deformation;
    for (let i = 0; i < frames; i++) {
      const t = currentFrame + i;
      if (curve && t >= curve.start && t < curve.start + N) {
        const scale = Math.fround(D / N);
        const src = Math.max(Math.fround(Math.fround(scale * (t - curve.start + 0.5)) - 0.5), 0);
        const i0 = Math.min(Math.floor(src), D - 1);
        const i1 = i0 + (i0 < D - 1 ? 1 : 0);
        const l1 = Math.fround(src - i0);
        for (let e = 0; e < E; e++) d[e * BLOCK + i] = (1 - l1) * curve.weights[e * D + i0] + l1 * curve.weights[e * D + i1];
      } else {
        for (let e = 0; e < E; e++) {
          this.live[e] += 0.001 * (this.target[e] - this.live[e]); // ~45 ms glide at 22 kHz
          d[e * BLOCK + i] = this.live[e];
        }
      }
    }
  }

  /** y_l for this block into this.layerSum. */
  renderLayer(l, frames) {
    const { resonanceCount: R, expressivity: E } = this.config;
    const layer = this.layers[l];
    const sum = this.layerSum, wet = this.wet, convolved = this.convolved, attack = this.attack;
    sum.fill(0);
    for (let r = 0; r < R; r++) {
      const k = l * R + r, a = k * BLOCK;
      wet.fill(0);
      for (let e = 0; e < E; e++) {
        if (!this.resonate(l, r * E + e, this.excited[k] === 1, a, frames)) continue;
        const d = e * BLOCK;
        for (let i = 0; i < frames; i++) wet[i] += this.deformation[d + i] * convolved[i];
      }
      const dry = layer.dry[r], wetGain = layer.wet[r], gain = layer.gain[r];
      for (let i = 0; i < frames; i++) sum[i] += Math.tanh(gain * (dry * attack[a + i] + wetGain * wet[i]));
    }
  }

  /**
   * conv[l, g] for this block into this.convolved: the oscillators of resonance g (= r·E + e) as
   * complex one-pole filters over the attack a[l, r] (starting at this.attack[a]), four at a time.
   * Returns false (and leaves this.convolved alone) when the resonance is silent and not excited.
   */
  resonate(l, g, excited, a, frames) {
    const silent = this.silent[l];
    if (!excited && silent[g]) return false;
    const { re, im } = this.states[l];
    const bank = this.layers[l].resonators, K = bank.oscillators;
    const level = runOscillators(bank, re, im, g * K, (g + 1) * K, this.attack, a, this.convolved, frames);
    // Rung out: every oscillator contributes less than SILENT; stop computing it until excited again.
    if (!excited && level < SILENT) {
      re.fill(0, g * K, (g + 1) * K);
      im.fill(0, g * K, (g + 1) * K);
      silent[g] = 1;
    } else {
      silent[g] = 0;
    }
    return true;
  }

  /**
   * Plays a quiet strike on every resonance through the whole block path for a few dozen blocks,
   * live and with a curve, then forgets it: the JavaScript engine compiles the hot code now, at
   * start-up, instead of on the first notes (which would otherwise underrun).
   */
  warmUp() {
    const { resonanceCount: R, expressivity: E, deformationFrames: D } = this.config;
    const L = this.layers.length;
    const curve = this.curve;
    const amplitudes = new Float32Array(L * R).fill(1e-3);
    const flat = { weights: new Float32Array(E * D).fill(1 / E), start: currentFrame };
    for (let i = 0; i < 60; i++) {
      this.voices = [{ time: currentFrame, amplitudes }];
      this.curve = i % 2 ? flat : null;
      this.placeAttacks(BLOCK);
      this.deformationBlock(BLOCK);
      for (let l = 0; l < L; l++) this.renderLayer(l, BLOCK);
    }
    this.voices = [];
    this.curve = curve;
    this.attack.fill(0);
    for (let l = 0; l < L; l++) {
      this.states[l].re.fill(0);
      this.states[l].im.fill(0);
      this.silent[l].fill(1);
    }
  }
}

/**
 * The oscillators [from, to) of a bank as complex one-pole filters over x[a … a + frames), four at a
 * time: s ← w·s + x, y = Σ Re(c·s) (y is overwritten). Returns max |c|·|s| at the end (L1 norms),
 * a bound on what each oscillator still contributes.
 */
function runOscillators({ wr, wi, cr, ci }, re, im, from, to, x, a, y, frames) {
  y.fill(0);
  let level = 0;
  for (let k = from; k < to; k += 4) {
    let s0r = re[k], s0i = im[k], s1r = re[k + 1], s1i = im[k + 1];
    let s2r = re[k + 2], s2i = im[k + 2], s3r = re[k + 3], s3i = im[k + 3];
    const w0r = wr[k], w0i = wi[k], w1r = wr[k + 1], w1i = wi[k + 1];
    const w2r = wr[k + 2], w2i = wi[k + 2], w3r = wr[k + 3], w3i = wi[k + 3];
    const c0r = cr[k], c0i = ci[k], c1r = cr[k + 1], c1i = ci[k + 1];
    const c2r = cr[k + 2], c2i = ci[k + 2], c3r = cr[k + 3], c3i = ci[k + 3];
    for (let i = 0; i < frames; i++) {
      const input = x[a + i];
      let t = w0r * s0r - w0i * s0i + input; s0i = w0r * s0i + w0i * s0r; s0r = t;
      t = w1r * s1r - w1i * s1i + input; s1i = w1r * s1i + w1i * s1r; s1r = t;
      t = w2r * s2r - w2i * s2i + input; s2i = w2r * s2i + w2i * s2r; s2r = t;
      t = w3r * s3r - w3i * s3i + input; s3i = w3r * s3i + w3i * s3r; s3r = t;
      y[i] += c0r * s0r - c0i * s0i + c1r * s1r - c1i * s1i + c2r * s2r - c2i * s2i + c3r * s3r - c3i * s3i;
    }
    re[k] = s0r; im[k] = s0i; re[k + 1] = s1r; im[k + 1] = s1i;
    re[k + 2] = s2r; im[k + 2] = s2i; re[k + 3] = s3r; im[k + 3] = s3i;
    level = Math.max(level,
      (Math.abs(c0r) + Math.abs(c0i)) * (Math.abs(s0r) + Math.abs(s0i)), (Math.abs(c1r) + Math.abs(c1i)) * (Math.abs(s1r) + Math.abs(s1i)),
      (Math.abs(c2r) + Math.abs(c2i)) * (Math.abs(s2r) + Math.abs(s2i)), (Math.abs(c3r) + Math.abs(c3i)) * (Math.abs(s3r) + Math.abs(s3i)));
  }
  return level;
}

registerProcessor('harp-instrument', InstrumentProcessor);
