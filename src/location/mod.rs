//! Where a customer is: time zones and ISO 3166-2 regions from the
//! territory's timezone, postal code, state or province, country and phone
//! (docs/location.md), with the tables generated from public sources
//! (docs/data.md).

pub mod place;
mod resolver;
pub mod tables;

mod generated;

pub use place::{Cells, Issue, Place, Settings, Source, UnknownZone};
pub use resolver::{PlaceId, Resolver};
