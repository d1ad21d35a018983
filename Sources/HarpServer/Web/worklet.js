// Harp web player — the two AudioWorklet processors around the resonance convolutions.
//
//   harp-excite: control events → routing → attack impulses      (L·R mono outputs)
//   ConvolverNodes (built by engine.js): attack[l, r] * resonance[l, r, e]
//   harp-mix: deformation blend, dry/wet mix, gain, tanh, sum     (one mono output)
//
// ref: seed 001 execute_layer (docs/seed001-notes.md §3.3). Times are absolute sample frames
// of the audio context (the worklet global `currentFrame`).

/**
 * Places attacks: a control column c [C] at frame t starts, on every routed channel r, the impulse
 * row r (interpolated attack envelope × noise) scaled by routed[r] = Σ_c router[c, r]·c[c].
 * With several layers, layer l is driven by layer l−1's routed control (seed ResonanceStack).
 * This is upsample_with_holes + fft_convolve(impulse, routed) computed directly.
 */
class ExciteProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const setup = options.processorOptions;
    this.config = setup.config;
    this.layers = setup.layers;
    this.pending = [];   // events not started yet, sorted by time: {time, amplitudes}
    this.voices = [];    // sounding attacks: {time, amplitudes [L·R]}
    if (setup.performance) this.schedule(setup.performance.control, setup.performance.start);
    this.port.onmessage = (message) => this.receive(message.data);
  }

  receive(data) {
    if (data.type === 'events') {
      for (const event of data.events) this.pending.push({ time: event.time, amplitudes: this.route(event.control) });
    } else if (data.type === 'performance') {
      this.schedule(data.control, data.start);
    } else if (data.type === 'stop') {
      this.pending = [];
      this.voices = [];
    }
    this.pending.sort((a, b) => a.time - b.time);
  }

  /** A whole control signal [C, F] from frame `start`: column f at start + f·step. */
  schedule(control, start) {
    const { controlDimension: C, frameCount: F, step } = this.config;
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
    const { resonanceCount: R, attackSamples: A } = this.config;
    const frames = outputs[0][0].length;
    const end = currentFrame + frames;
    while (this.pending.length && this.pending[0].time < end) {
      const event = this.pending.shift();
      event.time = Math.max(event.time, currentFrame); // a late live event sounds from now
      this.voices.push(event);
    }
    for (const output of outputs) output[0].fill(0);
    for (const voice of this.voices) this.addVoice(voice, outputs, frames, R, A);
    this.voices = this.voices.filter((voice) => voice.time + A > end);
    return true;
  }

  addVoice(voice, outputs, frames, R, A) {
    const from = Math.max(0, voice.time - currentFrame);
    const to = Math.min(frames, voice.time + A - currentFrame);
    this.layers.forEach((layer, l) => {
      for (let r = 0; r < R; r++) {
        const amplitude = voice.amplitudes[l * R + r];
        if (amplitude === 0) continue;
        const out = outputs[l * R + r][0];
        const impulse = layer.impulses;
        const base = r * A - (voice.time - currentFrame);
        for (let i = from; i < to; i++) out[i] += amplitude * impulse[base + i];
      }
    });
  }
}

/**
 * Mixes the convolved attacks: for every layer l and resonance r
 *   y = tanh(|gain_r| · (dry_r·attack_r(t) + wet_r·Σ_e d_e(t)·conv_(r,e)(t)))
 * summed over r and blended over layers by softmax(network.mix). d_e(t) is the deformation
 * weight: either a performance's curve [E, D] (interpolated to samples, align_corners=False)
 * from its start frame, or the live slider's weights, smoothed.
 * Inputs: L·R·E convolved signals, then L·R dry attacks.
 */
class MixProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const setup = options.processorOptions;
    this.config = setup.config;
    this.layers = setup.layers;
    this.layerWeights = setup.layerWeights;
    const E = this.config.expressivity;
    this.live = new Float32Array(E);
    this.live[0] = 1;
    this.target = this.live.slice();
    this.curve = setup.curve || null; // {weights [E, D], start}
    this.recording = false;
    this.weights = new Float32Array(E);
    this.port.onmessage = (message) => this.receive(message.data);
  }

  receive(data) {
    if (data.type === 'deformation') this.target = Float32Array.from(data.weights);
    else if (data.type === 'curve') this.curve = { weights: data.weights, start: data.start };
    else if (data.type === 'record') this.recording = data.on;
    else if (data.type === 'stop') this.curve = null;
  }

  /** Deformation weights at absolute frame t into this.weights. ref: interpolate_last_axis */
  deformationAt(t) {
    const { expressivity: E, deformationFrames: D, sampleCount: N } = this.config;
    const curve = this.curve;
    if (curve && t >= curve.start && t < curve.start + N) {
      const i = t - curve.start;
      const scale = Math.fround(D / N);
      const src = Math.max(Math.fround(Math.fround(scale * (i + 0.5)) - 0.5), 0);
      const i0 = Math.min(Math.floor(src), D - 1);
      const i1 = i0 + (i0 < D - 1 ? 1 : 0);
      const l1 = Math.fround(src - i0);
      for (let e = 0; e < E; e++) this.weights[e] = (1 - l1) * curve.weights[e * D + i0] + l1 * curve.weights[e * D + i1];
    } else {
      for (let e = 0; e < E; e++) {
        this.live[e] += 0.001 * (this.target[e] - this.live[e]); // ~45 ms glide at 22 kHz
        this.weights[e] = this.live[e];
      }
    }
    return this.weights;
  }

  process(inputs, outputs) {
    const { resonanceCount: R, expressivity: E } = this.config;
    const L = this.layers.length;
    const out = outputs[0][0];
    // An input whose source is silent may arrive with no channels: treat it as zeros.
    const channels = inputs.map((input) => (input.length ? input[0] : null));
    for (let i = 0; i < out.length; i++) {
      const d = this.deformationAt(currentFrame + i);
      let sum = 0;
      for (let l = 0; l < L; l++) {
        const layer = this.layers[l];
        let layerSum = 0;
        for (let r = 0; r < R; r++) {
          let wet = 0;
          for (let e = 0; e < E; e++) {
            const conv = channels[(l * R + r) * E + e];
            if (conv) wet += d[e] * conv[i];
          }
          const dry = channels[L * R * E + l * R + r];
          const x = layer.dry[r] * (dry ? dry[i] : 0) + layer.wet[r] * wet;
          layerSum += Math.tanh(x * layer.gain[r]);
        }
        sum += this.layerWeights[l] * layerSum;
      }
      out[i] = sum;
    }
    if (this.recording) this.port.postMessage(out.slice());
    return true;
  }
}

registerProcessor('harp-excite', ExciteProcessor);
registerProcessor('harp-mix', MixProcessor);
