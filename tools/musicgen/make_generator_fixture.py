"""The training loss and gradients of a tiny MusicGen decoder (transformers' MusicgenForCausalLM)
with an enc_to_dec_proj, for Harp's generator (HarpGenerateTests, GeneratorTrainingParityTests).

The decoder reads delay-patterned codes (BOS first; pads where the pattern fixes them and past the
end of a short clip) and cross-attends to projected text states times their mask (one row fully
masked: a dropped, unconditional prompt). The loss is transformers' own (labels = the sequence
shifted by one, pads ignored). Writes Tests/HarpGenerateTests/Fixtures/generator/training.safetensors:
the weights under Harp's names (decoder.*, enc_to_dec_proj.*), the inputs, the logits, the loss and
every gradient (grad.<name>). Run with the project venv:

    /work/venv/bin/python tools/musicgen/make_generator_fixture.py
"""
import os

import torch
from safetensors.torch import save_file
from transformers import MusicgenDecoderConfig, MusicgenForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "HarpGenerateTests", "Fixtures", "generator", "training.safetensors")

torch.manual_seed(0)
V, H, K, TEXT = 16, 16, 4, 32
config = MusicgenDecoderConfig(vocab_size=V, hidden_size=H, num_hidden_layers=2, num_attention_heads=2, ffn_dim=32,
                               num_codebooks=K, max_position_embeddings=64, pad_token_id=V, bos_token_id=V,
                               dropout=0.0, attention_dropout=0.0, activation_dropout=0.0, layerdrop=0.0,
                               activation_function="gelu", scale_embedding=False, tie_word_embeddings=False,
                               attn_implementation="eager")
model = MusicgenForCausalLM(config).eval()
with torch.no_grad():  # LayerNorms away from identity, so their gradients are tested too.
    for name, p in model.named_parameters():
        if "layer_norm" in name:
            p.add_(0.1 * torch.randn_like(p))
projection = torch.nn.Linear(TEXT, H)

# Two clips of 6 frames, the second only 4 long; the delay-patterned sequences have F + K positions.
F = 6
lengths = [6, 4]
codes = torch.randint(0, V, (2, K, F))
L = F + K
seq = torch.full((2, K, L), V, dtype=torch.long)
for b in range(2):
    for k in range(K):
        for t in range(1, L):
            f = t - k - 1
            if 0 <= f < lengths[b] and t < L - K + 1 + k:
                seq[b, k, t] = codes[b, k, f]
# transformers' own pattern: every position it fixes holds pad in ours.
_, pattern = model.build_delay_pattern_mask(seq.reshape(2 * K, L)[:, :1], pad_token_id=V, max_length=L)
assert bool((seq.reshape(2 * K, L)[pattern != -1] == V).all())

inputs = seq[:, :, :-1]
labels = seq[:, :, 1:].permute(0, 2, 1)
text = torch.randn(2, 2, TEXT)
mask = torch.tensor([[1, 1], [0, 0]])
states = projection(text) * mask[..., None]
out = model(input_ids=inputs.reshape(2 * K, L - 1), encoder_hidden_states=states, encoder_attention_mask=mask,
            labels=labels)
out.loss.backward()

tensors = {"inputs": inputs.to(torch.int64), "targets": seq[:, :, 1:].contiguous().to(torch.int64),
           "frames": codes.to(torch.int64), "lengths": torch.tensor(lengths), "text": text,
           "mask": mask.to(torch.int64), "logits": out.logits.detach().contiguous(), "loss": out.loss.detach().reshape(1)}
for name, p in model.named_parameters():
    tensors["decoder." + name] = p.detach().clone()
    tensors["grad.decoder." + name] = p.grad.detach().clone()
for name, p in projection.named_parameters():
    tensors["enc_to_dec_proj." + name] = p.detach().clone()
    tensors["grad.enc_to_dec_proj." + name] = p.grad.detach().clone()
os.makedirs(os.path.dirname(OUT), exist_ok=True)
save_file({k: v.contiguous() for k, v in tensors.items()}, OUT)
print(f"wrote {OUT}: loss {out.loss.item():.6f}, logits {tuple(out.logits.shape)}")
