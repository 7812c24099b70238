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

/// Words that say whom a text is about (a relative, a partner, a neighbour), not what
/// they need: "mijn moeder is eenzaam" asks about loneliness, not about mothers. Folded;
/// Dutch and English, singular and plural. Words for groups that offerings serve as such
/// (`kind`, `ouders`, `jongere`, `oudere`, `mantelzorger`) and `vriend` ("geen vrienden"
/// is a need) are deliberately not here.
#[rustfmt::skip]
const PERSON_WORDS: &[&str] = &[
    "moeder", "moeders", "mam", "mama", "ma", "vader", "vaders", "pap", "papa", "pa", "zoon",
    "zoons", "zonen", "dochter", "dochters", "broer", "broers", "broertje", "zus", "zussen",
    "zusje", "zuster", "oma", "opa", "grootmoeder", "grootvader", "kleinzoon", "kleindochter",
    "kleinkind", "kleinkinderen", "schoonmoeder", "schoonvader", "stiefvader", "stiefmoeder",
    "zwager", "schoonzus", "schoonbroer", "schoonzoon", "schoondochter", "stiefzoon",
    "stiefdochter",
    "tante", "oom", "neef", "nicht", "man", "vrouw", "echtgenoot", "echtgenote", "partner",
    "buurman", "buurvrouw", "mother", "mom", "mum", "father", "dad", "son", "daughter",
    "brother", "sister", "grandmother", "grandma", "grandfather", "grandpa", "husband", "wife",
    "neighbour", "neighbor",
];

/// Whether a word (in any case) names whom a text is about rather than a need.
pub fn is_person_word(word: &str) -> bool {
    PERSON_WORDS.iter().any(|p| p.eq_ignore_ascii_case(word))
}
