//! Dutch stop words: function words that carry no meaning for finding help.
//! Folded (lowercase, no accents). Words that do carry meaning in this domain, such as
//! `alleen` (lonely) or `thuis`, are deliberately not in the list.

const STOP_WORDS: &[&str] = &[
    "aan", "al", "als", "ben", "bij", "daar", "dan", "dat", "de", "der", "deze", "die", "dit",
    "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge", "geen", "had", "heb", "hebben",
    "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "ik", "in", "is", "ja", "je", "jij", "jou",
    "jouw", "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "mn",
    "moet", "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "ons", "onze", "ook",
    "op", "over", "te", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor", "want",
    "waren", "was", "wat", "we", "wel", "werd", "wie", "wij", "wil", "worden", "wordt", "zal",
    "ze", "zei", "zich", "zij", "zijn", "zo", "zou", "zn", "graag", "erg", "heel", "even",
];

/// Whether a folded word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}
