//! Where a customer is: time zones and ISO 3166-2 region from a postal
//! code, a state or province, a country or a phone number.

pub mod tables;

mod generated;
