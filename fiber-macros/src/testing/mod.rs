//! Tests of the macro as a whole, which need no compiler: the fuzzer (no input makes the
//! expansion panic), the table of every error with its ui test, and the pass-by-pass view.

mod every_error;
mod fuzz;
mod pass_view;

/// `ARCHITECTURE.md` shows `pipeline::run` as it is.
#[test]
fn architecture_shows_the_pipeline_as_it_is() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let pipeline = std::fs::read_to_string(root.join("src/pipeline.rs")).unwrap();
    let start = pipeline.find("pub fn run(").expect("pipeline::run");
    let end = start + pipeline[start..].find("\n}\n").expect("its end") + 2;
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    assert!(
        architecture.contains(&pipeline[start..end]),
        "ARCHITECTURE.md shows another pipeline::run than src/pipeline.rs:\n{}",
        &pipeline[start..end]
    );
}
