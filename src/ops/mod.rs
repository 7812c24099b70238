//! What runs around the engine at the edges: admission, connection limits, tokens,
//! metrics, logging and progress on a terminal.

pub mod admission;
pub mod auth;
pub mod connections;
pub mod edge;
pub mod metrics;
pub mod progress;
pub mod telemetry;
