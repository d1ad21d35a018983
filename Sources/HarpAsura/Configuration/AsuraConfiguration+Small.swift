import Foundation

extension AsuraConfiguration {
    /// A configuration small enough to train on a CPU, used when no config file is given. Same
    /// shape as the published `configs/asura/asura.json`, scaled down: 512-sample frames (hop 128),
    /// 64-wide tokens, two-layer sequence models. Not the shipped default model (which is trained
    /// and documented separately).
    public static let smallJSON = """
        {
            "model": {
                "token_encoder": {"d_conv_stages": [16, 32, 32], "conv_layers_per_stage": 1,
                                  "conv_k_stages": [2, 4, 4], "ff_mult": 2, "act_fn": "swiglu"},
                "decoder_m": {"d_conv_stages": [16, 32, 64], "d_bottleneck": 64, "conv_layers_per_stage": 1,
                              "conv_k_stages": [2, 4, 4], "ff_mult": 2, "act_fn": "swiglu"},
                "decoder_phi": {"d_conv_stages": [16, 32, 64], "d_bottleneck": 64, "conv_layers_per_stage": 1,
                                "conv_k_stages": [2, 4, 4], "ff_mult": 2, "act_fn": "swiglu"},
                "seq_encoder": {"num_layers": 2, "d_model": 128, "attn_d_head": 32, "attn_query_grouping": 2,
                                "ff_mult": 2, "act_fn": "swiglu"},
                "seq_predictor": {"num_layers": 2, "d_model": 128, "attn_d_head": 32, "attn_query_grouping": 2,
                                  "ff_mult": 2, "act_fn": "swiglu"},
                "d_signal": 1, "d_token": 64, "d_t_enc": 32,
                "length_tokens": 16, "seq_enc_length_tokens": 8, "frames_per_token": 2,
                "decoder_lookback_frames": 4, "frame_samples": 512, "frame_overlap_samples": 384,
                "seq_pred_extra_future": 1, "pred_grad_frames": 4,
                "p_eps_ctx_global": "tri", "p_eps_ctx_frame": "uniform", "p_t": "uniform", "p_s": "logit_normal",
                "t_scale": 1000.0, "prior": "uniform", "sample_eps_ctx": 0.02, "substep_autoguidance": 2.0,
                "ema": 0.999
            },
            "batch_size": 4,
            "optim": {"type": "adamw", "lr": 3e-4, "weight_decay": 1e-4, "betas": [0.9, 0.95]},
            "lr_warmup": 100, "lr_decay": "quadratic", "lr_decay_halflife": 100000, "clip_grad": 1.0
        }
        """

    /// The small configuration, parsed.
    public static func small() -> AsuraConfiguration {
        // The text above is checked by a test; failing here is a programming error.
        try! AsuraConfiguration(jsonData: Data(smallJSON.utf8))
    }
}
