//! testing

mod every_error;
mod fuzz;
mod pass_view;
