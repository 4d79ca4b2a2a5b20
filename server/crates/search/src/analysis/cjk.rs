//! Detection of scripts written without spaces between words.

/// True for Han, Hiragana, Katakana and Hangul characters.
///
/// These scripts are indexed as overlapping character bigrams plus single
/// characters instead of words, since there are no word boundaries to split on.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF       // Hiragana, Katakana
        | 0x31F0..=0x31FF     // Katakana phonetic extensions
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0x1100..=0x11FF     // Hangul jamo
        | 0x3130..=0x318F     // Hangul compatibility jamo
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFF66..=0xFF9F     // Half-width Katakana
        | 0x20000..=0x2FA1F   // CJK extensions B–F, compatibility supplement
    )
}
