//! # wegwijzer
//!
//! A referral-matching engine for the Dutch social domain. It keeps a searchable catalog
//! of the Drechtsteden's local initiatives, algemene voorzieningen and doors to
//! specialist help, and answers three kinds of callers over gRPC: intake tools with a
//! structured help request (Match), hotline volunteers typing free text (Search,
//! Suggest), and services reading the catalog (GetOffering, ListOfferings). Matches come
//! lightest help first — "zo licht als mogelijk, zo zwaar als nodig" — and always say why.
//!
//! ## Layout
//!
//! | module | job |
//! |---|---|
//! | [`domain`] | domain types: offerings, tiers, life domains, help requests |
//! | [`catalog`] | loading and validating `catalog/` (all or nothing, errors with file and line); live changes on top; export back to files |
//! | [`taxonomy`] | life-domain labels and the lay words that point to each domain |
//! | [`thesaurus`] | lay words and phrases (Dutch, English) to the needs the catalog names |
//! | [`analysis`] | the Dutch analyzer: folding, stop words, compounds, stemming |
//! | [`index`] | the tantivy index: schema, persistence, typo-tolerant queries, snippets |
//! | [`suggest`] | completions and "did you mean" |
//! | [`matching`] | the draagkracht/draaglast profile and lightest-help-first ranking |
//! | [`engine`] | one loaded catalog with its index: the operations both gRPC and eval use |
//! | [`live`] | the engine being served: one writer for admin changes and reloads (group commit), atomic swaps |
//! | [`state`] | the durable file of live changes (fsynced, checksummed) |
//! | [`eval`] | evaluation files and their metrics |
//! | [`input`] | Dutch-keyed request formats (eval files, web page) → wire requests |
//! | [`hsds`] | export of the catalog as Open Referral HSDS 3.0 JSON |
//! | [`pb`] | generated protobuf/gRPC code (fenced: only `convert`, `grpc`, `server` use it) |
//! | [`convert`] | wire ↔ domain conversion and request validation |
//! | [`grpc`] | thin service adapters and the one error → `Status` mapping |
//! | [`auth`] | bearer tokens, compared in constant time |
//! | [`admission`] | concurrency limit with load shedding, deadlines, the blocking pool |
//! | [`connections`] | per-port connection cap and idle timeout, for both ports |
//! | [`metrics`] | Prometheus counters without request content |
//! | [`server`] | server assembly: services, health, reflection, TLS, SIGHUP, graceful shutdown |
//! | [`web`] | the search page for volunteers and its JSON API (second HTTP port) |
//! | [`cli`], [`telemetry`] | flags with `WEGWIJZER_*` twins; structured logging |
//! | [`corpus`] | synthetic benchmark catalogs and query sets, deterministic for a seed |
//! | [`progress`] | count, rate and time left for long work, on a terminal only |
//!
//! ## Privacy
//!
//! The API has no fields for names, BSN, addresses, phone numbers or birth dates. Free
//! text is used for matching only: it is never logged, stored, or put into metrics or
//! error messages.

#![warn(missing_docs)]

pub mod api;
pub mod catalog;
pub mod domain;
pub mod engine;
pub mod eval;
pub mod grpc;
pub mod live;
pub mod matching;
pub mod ops;
pub mod search;
pub mod server;
pub mod web;
