//! Integration tests: the real `callqueue` binary, run on files in a
//! temporary directory. One module per command or feature.

// A test's helpers fail the test by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod workdir;

mod best_time;
mod build;
mod check;
mod compliance;
mod corpus;
mod explain;
mod headers;
mod inputs;
mod interrupted;
mod location;
mod outputs;
mod postgres;
mod properties;
mod quotes;
mod record;
mod report;
mod scale;
mod setup;
mod systems;
mod terminal;
