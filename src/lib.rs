//! Integration tests and examples of the fiber workspace live in `tests/` and `examples/`.
