//! Finding offerings by text: the Dutch analyzer, the tantivy index, completions and the
//! thesaurus of lay words.

pub mod analysis;
pub mod index;
pub mod suggest;
pub mod thesaurus;
