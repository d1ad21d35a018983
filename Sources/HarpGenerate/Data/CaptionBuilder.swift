import Foundation

/// Captions for training clips, made from what the corpus itself says about each file: its
/// category (music or speech), its package (the game or collection it comes from), the language
/// and voice its path names, and the words of its file and folder names, with instrument and
/// genre words put first. See docs/generate.md ("Captions").
///
/// ```swift
/// CaptionBuilder.caption(path: "music/wesnoth-1.16-music/battle-epic.ogg",
///                        package: "wesnoth-1.16-music", category: "music")
/// // "music, battle for wesnoth, fantasy strategy game soundtrack, orchestral: battle epic"
/// ```
public enum CaptionBuilder {
    /// The caption of one file. `path` is relative to the corpus (`music/…`, `speech/…`);
    /// `package` and `category` come from `MANIFEST.tsv` (or the first folders of the path).
    public static func caption(path: String, package: String, category: String) -> String {
        let components = path.split(separator: "/").map(String.init)
        let stem = (components.last.map { ($0 as NSString).deletingPathExtension } ?? "")
        let folders = components.dropFirst(2).dropLast()   // below category/package
        var title = words(stem)
        for folder in folders.reversed() where language(folder) == nil && voice(folder) == nil {
            title = words(folder) + title
        }
        var parts = [category == "speech" ? "speech" : "music"]
        if let description = packageDescriptions[package] { parts.append(description) } else {
            parts.append(words(package).filter { !["music", "data", "sounds", "songs"].contains($0) }.joined(separator: " "))
        }
        if category == "speech" {
            let language = components.dropLast().lazy.compactMap(Self.language).first ?? stemLanguage(stem) ?? packageLanguage(package)
            if let language { parts.append("spoken in \(language)") }
            if let voice = components.dropLast().lazy.compactMap(Self.voice).first { parts.append(voice) }
            // A Tux Paint description ends in its language code (`flamingo_desc_da`).
            if stemLanguage(stem) != nil { title = Array(title.dropLast()) }
        }
        let styled = title.filter(styleWords.contains)
        if !styled.isEmpty { parts.append(styled.joined(separator: " ")) }
        let rest = title.filter { !styleWords.contains($0) && !fillerWords.contains($0) }
        var caption = parts.filter { !$0.isEmpty }.joined(separator: ", ")
        if !rest.isEmpty { caption += ": " + rest.joined(separator: " ") }
        return caption
    }

    /// Lower-case words of a name: split at anything but letters, camel case and letter–digit
    /// changes; single letters and bare numbers dropped.
    static func words(_ name: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previous: Character?
        func flush() {
            if current.count >= 2 && !current.allSatisfy(\.isNumber) { result.append(current.lowercased()) }
            current = ""
        }
        for character in name {
            guard character.isLetter || character.isNumber else { flush(); previous = nil; continue }
            if let previous, (previous.isLowercase && character.isUppercase) || (previous.isLetter != character.isLetter) { flush() }
            current.append(character)
            previous = character
        }
        flush()
        return result
    }

    /// `en_US_f_Allison` → `female voice`.
    static func voice(_ component: String) -> String? {
        let parts = component.split(separator: "_")
        guard parts.count >= 3, language(String(parts[0])) != nil else { return nil }
        switch parts[2] {
        case "f": return "female voice"
        case "m": return "male voice"
        default: return nil
        }
    }

    /// A path component that is a language code (`fr`, `it_IT`, `en_US_f_Allison`) → its name.
    static func language(_ component: String) -> String? {
        let code = component.split(separator: "_").first.map { String($0).lowercased() } ?? ""
        guard component.count == 2 || component.contains("_") else { return nil }
        return languageNames[code]
    }

    private static func stemLanguage(_ stem: String) -> String? {
        guard stem.contains("_desc_"), let code = stem.split(separator: "_").last else { return nil }
        return languageNames[String(code).lowercased()]
    }

    private static func packageLanguage(_ package: String) -> String? {
        package.split(separator: "-").lazy.compactMap { languageNames[String($0)] }.first
    }

    /// Each package as its Debian description calls it (`apt-cache show PACKAGE`), shortened.
    static let packageDescriptions: [String: String] = [
        "warzone2100-music": "warzone 2100, real-time strategy game soundtrack",
        "wesnoth-1.16-music": "battle for wesnoth, fantasy strategy game soundtrack",
        "nexuiz-music": "nexuiz, first-person shooter game soundtrack",
        "singularity-music": "singularity, strategy game soundtrack",
        "fretsonfire-songs-sectoid": "frets on fire, rock guitar game song by sectoid",
        "colobot-common-sounds": "colobot, game music",
        "asterisk-core-sounds-en-g722": "telephone voice prompt",
        "asterisk-core-sounds-es-g722": "telephone voice prompt",
        "asterisk-core-sounds-fr-g722": "telephone voice prompt",
        "asterisk-core-sounds-it-g722": "telephone voice prompt",
        "asterisk-core-sounds-ru-g722": "telephone voice prompt",
        "asterisk-prompt-it-menardi-wav": "telephone voice prompt",
        "fillets-ng-data-nl": "fish fillets puzzle game dialogue",
        "klettres-data": "letters and syllables read aloud",
        "ktuberling-data": "children's game word",
        "tuxpaint-stamps-default": "description of a picture",
    ]

    /// Instrument, genre and mood words that file names carry; put first in the caption.
    static let styleWords: Set<String> = [
        "piano", "guitar", "drums", "drum", "bass", "strings", "violin", "cello", "flute", "harp", "choir", "organ",
        "synth", "brass", "horn", "trumpet", "orchestra", "orchestral", "percussion", "bells", "acoustic", "electric",
        "ambient", "rock", "metal", "techno", "electronic", "jazz", "blues", "folk", "march", "waltz", "epic", "battle",
        "calm", "dark", "sad", "happy", "heroic", "peaceful", "victory", "defeat", "suspense", "mystery", "theme",
        "menu", "loop", "intro", "outro", "credits", "boss", "fight", "war", "night", "dream", "celtic", "medieval",
    ]

    /// Words of file names that say nothing about the sound.
    static let fillerWords: Set<String> = ["desc", "ogg", "wav", "flac", "opus", "mp3", "track", "enhanced", "final", "mix", "new"]

    static let languageNames: [String: String] = [
        "en": "english", "es": "spanish", "fr": "french", "it": "italian", "ru": "russian", "nl": "dutch", "de": "german",
        "da": "danish", "cs": "czech", "ml": "malayalam", "lt": "lithuanian", "be": "belarusian", "bg": "bulgarian",
        "el": "greek", "pt": "portuguese", "pl": "polish", "sv": "swedish", "fi": "finnish", "nb": "norwegian",
        "no": "norwegian", "hu": "hungarian", "ro": "romanian", "sk": "slovak", "sl": "slovenian", "tr": "turkish",
        "uk": "ukrainian", "ja": "japanese", "zh": "chinese", "ko": "korean", "ar": "arabic", "he": "hebrew",
        "ca": "catalan", "eu": "basque", "gl": "galician", "et": "estonian", "lv": "latvian", "hr": "croatian",
        "sr": "serbian", "ga": "irish", "cy": "welsh", "is": "icelandic", "id": "indonesian", "vi": "vietnamese",
        "th": "thai", "hi": "hindi", "ta": "tamil", "te": "telugu", "bn": "bengali", "fa": "persian", "af": "afrikaans",
        "eo": "esperanto", "sq": "albanian", "mk": "macedonian", "ka": "georgian", "hy": "armenian", "br": "breton",
        "oc": "occitan", "nn": "norwegian", "wa": "walloon", "km": "khmer", "gd": "scottish gaelic", "ms": "malay",
        "ast": "asturian", "tl": "tagalog", "sw": "swahili", "zu": "zulu", "xh": "xhosa",
    ]
}
