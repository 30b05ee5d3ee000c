//! Tests of the macro as a whole, which need no compiler: the fuzzer (no input makes the
//! expansion panic), the table of every error with its ui test, and the pass-by-pass view.

mod every_error;
mod fuzz;
mod pass_view;
