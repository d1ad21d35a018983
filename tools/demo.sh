#!/usr/bin/env bash
# The README's main job: fit an instrument to the bundled clip on a short schedule, denoise the
# bundled noisy speech, and write one index page linking everything.
set -euo pipefail
harp="$1"; clip="$2"; out="$3"; iterations="${4:-400}"; noisy="${5:-Resources/noisy_speech.flac}"

"$harp" info "$clip"
"$harp" fit "$clip" -o "$out" --iterations "$iterations"
"$harp" render "$out/instrument.safetensors" -o "$out/performance.wav" --random --seed 7

echo
mkdir -p "$out/denoise"
cp "$noisy" "$out/denoise/noisy.flac"
"$harp" denoise "$out/denoise/noisy.flac" -o "$out/denoise/denoised.wav"

echo
mkdir -p "$out/codec"
for kbps in 1.5 6; do
  "$harp" encode "$out/denoise/noisy.flac" -o "$out/codec/speech-$kbps.harpc" --bandwidth "$kbps"
  "$harp" decode "$out/codec/speech-$kbps.harpc" -o "$out/codec/speech-$kbps.wav"
done

echo
mkdir -p "$out/generate"
prompt="calm peaceful ambient music"
# Harp's own text-to-music generator, when one is bundled (until then harp says so in one line).
if "$harp" generate "$prompt" --duration 5 -o "$out/generate/ambient.wav"; then
  generated="<p>&ldquo;$prompt&rdquo; (<code>harp generate</code>, 5 s; see docs/generate.md)</p><audio controls src=\"generate/ambient.wav\"></audio>"
else
  generated="<p>No generator is bundled yet: <code>harp train generator</code> makes one (docs/generate.md).</p>"
fi

cat > "$out/index.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harp demo</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;line-height:1.5}
audio{width:100%}h2{margin-top:2rem}</style></head><body>
<h1>Harp demo</h1>
<h2>An instrument fitted to one clip</h2>
<p>$(basename "$clip"), fitted for $iterations iterations: <a href="report.html">the fit's report</a>
(original, reconstruction, a random performance, spectrograms, control signal, loss).</p>
<audio controls src="performance.wav"></audio>
<h2>Denoising (DeepFilterNet3, bundled weights)</h2>
<p>LibriVox speech with vinyl noise at 5 dB SNR, before and after <code>harp denoise</code>.</p>
<p>Before</p><audio controls src="denoise/noisy.flac"></audio>
<p>After</p><audio controls src="denoise/denoised.wav"></audio>
<h2>Codec round trip (harp-codec-24k, trained here)</h2>
<p>The noisy speech through the bundled codec (<code>harp encode</code> to a .harpc file, then
<code>harp decode</code>). An early model (85 minutes of training on two cores): it keeps the
spectrum's shape, not yet the waveform. See docs/codecs.md.</p>
<p>1.5 kbit/s</p><audio controls src="codec/speech-1.5.wav"></audio>
<p>6 kbit/s</p><audio controls src="codec/speech-6.wav"></audio>
<h2>Text to music (Harp's generator, trained here)</h2>
$generated
</body></html>
HTML

echo
echo "Open $out/index.html: the instrument's report and performance, the denoised speech and the codec round trip."
echo "Fit longer for a closer reconstruction: $harp fit $clip -o $out --resume --iterations 10000"
