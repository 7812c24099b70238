//! Generated protobuf and gRPC code for `wegwijzer.v1`, fenced in one module: only
//! `convert`, `grpc` and `server` see these types.

#![allow(missing_docs, clippy::all, clippy::pedantic)]

/// The `wegwijzer.v1` package.
pub mod v1 {
    tonic::include_proto!("wegwijzer.v1");
}

pub use v1::*;

/// Encoded descriptor set of the API, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("wegwijzer_descriptor");
