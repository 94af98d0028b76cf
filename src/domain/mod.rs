//! The domain core: what an outcome means, the policy, and the types the
//! rules speak of. It reads no file and knows no thread; the readers and
//! writers depend on it, never the reverse.

pub mod account;
pub mod compliance;
pub mod holiday;
pub mod outcome;
pub mod policy;
pub mod preset;

pub use account::{Attempt, Callback, LastOrder, Status};
pub use outcome::{Outcome, word_key};
pub use policy::{Caps, Hours, Policy};
