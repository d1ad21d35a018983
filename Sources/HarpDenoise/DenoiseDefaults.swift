/// Default settings chosen from measurements (docs/denoise.md).
public enum DenoiseDefaults {
    /// The attenuation limit for music (dB): DeepFilterNet3 treats much of music as noise, and a
    /// limit keeps the music while still lowering the noise (see the table in docs/denoise.md).
    public static let musicAttenuationLimitDecibels: Float = 6
}
