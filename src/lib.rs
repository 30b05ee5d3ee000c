//! The integration tests of the fiber workspace live in `tests/`; the examples in
//! `fiber-examples/examples/` (and `runner_numbers` in `fiber-runtime/examples/`).
