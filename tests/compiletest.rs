//! Every error `#[fiber]` can emit, with its `.stderr` snapshot in `tests/ui/`.
//! rustc's wording changes between releases, so the snapshots are pinned to one toolchain;
//! refresh them with `TRYBUILD=overwrite cargo test --test compiletest` and read the diff.

#[rustversion::attr(not(stable(1.95)), ignore = "ui snapshots are pinned to rustc 1.95.0")]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
