// Harp web player — a recording as a 16-bit PCM mono WAV file.

/** Float32 blocks at `sampleRate`, scaled by `gain` and clipped to [−1, 1], as WAV bytes. */
export function encodeWAV(blocks, sampleRate, gain) {
  const count = blocks.reduce((n, block) => n + block.length, 0);
  const buffer = new ArrayBuffer(44 + 2 * count);
  const view = new DataView(buffer);
  const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
  text(0, 'RIFF'); view.setUint32(4, 36 + 2 * count, true); text(8, 'WAVE');
  text(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true); view.setUint32(28, 2 * sampleRate, true);
  view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, 'data'); view.setUint32(40, 2 * count, true);
  let offset = 44;
  for (const block of blocks) {
    for (const v of block) {
      const s = Math.max(-1, Math.min(1, v * gain));
      view.setInt16(offset, Math.round(s * 32767), true);
      offset += 2;
    }
  }
  return buffer;
}
