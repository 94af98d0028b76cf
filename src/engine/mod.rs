//! Where the speed lives, behind narrow interfaces: the CSV splitter, the
//! id table, bit sets, the short-cell memo, zones' offsets over time and the helpers that split work over both cores and
//! load memory ahead of it. Nothing here knows a rule; the domain modules
//! use these as they would any container.

pub mod bits;
pub mod csv;
pub mod idmap;
pub mod memo;
pub mod offsets;
pub mod parallel;
pub mod room;
