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
//! Each folder is one subsystem; dependencies point down this table (a room uses the
//! rooms below it, never one above).
//!
//! | room | job |
//! |---|---|
//! | [`server`] | assembly: the gRPC and web servers on their listeners, SIGHUP reload, daily refresh, graceful shutdown |
//! | [`grpc`] | the wire, fenced: generated code (`pb`), wire ↔ draft/domain conversion, thin service adapters, the one error → `Status` mapping, the tonic server |
//! | [`web`] | the volunteers' search page, its Dutch JSON API and its security headers |
//! | [`api`] | transport-neutral request drafts and the one validation every caller uses; Dutch-keyed input formats |
//! | [`ops`] | the edges: admission and deadlines as a tower layer, per-call logs and metrics (Prometheus), connection limits, tokens, logging setup, progress |
//! | [`eval`] | evaluation files and their metrics |
//! | [`live`] | the engine being served: one writer for admin changes and reloads (group commit), the store of live changes (a durable file, or PostgreSQL shared by replicas) |
//! | [`engine`] | one loaded catalog with its index: search, match, suggest |
//! | [`matching`] | the draagkracht/draaglast profile, crisis language, doelgroepen, eligibility and lightest-help-first ranking with reasons |
//! | [`search`] | the Dutch analyzer, the tantivy index, completions and the thesaurus of lay words |
//! | [`catalog`] | the catalog files: loading and checks (all or nothing, file and line), live changes applied on top, export (catalog format, HSDS 3.0) |
//! | [`domain`] | domain types, the rules and limits they keep, calendar dates, and every Dutch label and sentence |
//!
//! The binary (`src/bin/wegwijzer`) holds only the command line; the benchmark corpus
//! generator is a crate of its own (`corpus/`).
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
