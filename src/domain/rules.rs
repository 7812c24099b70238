//! The rules and limits an offering and a request must keep, in one place: catalog
//! loading, the request layer (`api`) and admin upserts all use these.

use super::AvailabilityStatus;

/// Longest free text (query or help request description), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Longest Suggest prefix, in characters.
pub const MAX_PREFIX_CHARS: usize = 100;
/// Most results Match and Search return.
pub const MAX_RESULTS: u32 = 50;
/// Results when the caller does not say.
pub const DEFAULT_RESULTS: u32 = 10;
/// Most suggestions.
pub const MAX_SUGGESTIONS: u32 = 20;
/// Suggestions when the caller does not say.
pub const DEFAULT_SUGGESTIONS: u32 = 8;
/// Largest ListOfferings page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// ListOfferings page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Most languages in a context.
pub const MAX_LANGUAGES: usize = 10;
/// The age from which a person is no child (youth help, a child's age limit).
pub const ADULT_AGE: u32 = 18;
/// The age until which a child must go to school full time (the Leerplichtwet's full-time
/// compulsory schooling ends in the school year a child turns 16): below it no one is a
/// worker or job seeker for the work services.
pub const FULL_TIME_SCHOOL_BELOW: u32 = 16;
/// Oldest age accepted, in a request and in an offering's age range.
pub const MAX_AGE: u32 = 120;
/// Longest offering id.
pub const MAX_ID_CHARS: usize = 100;
/// Longest waiting time accepted, in weeks.
pub const MAX_WAITING_WEEKS: u32 = 104;
/// Longest short text field of an offering (name, organisation, terms, ...).
pub const MAX_FIELD_CHARS: usize = 300;
/// Most entries in a list field of an offering.
pub const MAX_LIST_ITEMS: usize = 50;
/// Longest description or next step of an offering, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;
/// Longest availability note, in characters.
pub const MAX_NOTE_CHARS: usize = 200;
/// Longest gemeente name accepted in a request.
pub const MAX_GEMEENTE_CHARS: usize = 100;

/// An offering id: lowercase letters, digits and `-`, at most [`MAX_ID_CHARS`].
pub fn is_offering_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// What an offering id must look like, for messages.
pub const OFFERING_ID_RULE: &str = "lowercase letters, digits and '-'";

/// A two-letter ISO 639-1 language code (either case; stored in lowercase).
pub fn is_language_code(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic())
}

/// A number of waiting weeks only goes with a waiting list.
pub fn waiting_weeks_allowed(status: AvailabilityStatus) -> bool {
    status == AvailabilityStatus::Wachtlijst
}

/// A sane age range: `min ≤ max ≤ MAX_AGE`.
pub fn is_age_range(min: Option<u32>, max: Option<u32>) -> bool {
    let (min, max) = (min.unwrap_or(0), max.unwrap_or(MAX_AGE));
    min <= max && max <= MAX_AGE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_languages_and_ages() {
        assert!(is_offering_id("sociaal-wijkteam-2"));
        for bad in ["", "Hoofd", "a b", "é", &"a".repeat(MAX_ID_CHARS + 1)] {
            assert!(!is_offering_id(bad), "{bad}");
        }
        assert!(is_language_code("nl") && is_language_code("EN"));
        assert!(!is_language_code("nld") && !is_language_code("n1"));
        assert!(is_age_range(Some(18), None) && is_age_range(None, Some(MAX_AGE)));
        assert!(!is_age_range(Some(30), Some(20)) && !is_age_range(None, Some(MAX_AGE + 1)));
        assert!(waiting_weeks_allowed(AvailabilityStatus::Wachtlijst));
        assert!(!waiting_weeks_allowed(AvailabilityStatus::Actief));
    }
}
