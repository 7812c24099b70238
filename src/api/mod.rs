//! The transport-neutral request layer: drafts that every caller fills (gRPC, the web
//! page, evaluation files) and the one validation that turns them into domain requests.

pub mod input;
