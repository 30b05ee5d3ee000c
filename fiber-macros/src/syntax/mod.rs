//! Questions about syntax that several stages ask: which names an expression reads, moves or
//! borrows, where a place is rooted, whether a type has drop glue.

pub mod borrowed;
pub mod drop_glue;
pub mod format_strings;
pub mod free_vars;
pub mod known;
pub mod local_borrow;
pub mod moves;
pub mod places;
pub mod replace_uses;
