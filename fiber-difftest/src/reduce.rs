//! A simple reducer: repeatedly replaces one hole of a failing program by something simpler
//! (see [`crate::tree::Node::simplifications`]) and keeps the smallest candidate that still fails the same
//! way. Candidates are built and run in chunks, one compile per chunk.

use crate::harness::{Case, Harness, Side, Verdict};
use std::time::Instant;

/// The failure a reduced program must keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The fiber twin does not compile, with this first line of the error.
    Compile {
        headline: String,
    },
    /// Native and fiber disagree.
    Mismatch,
    Hang,
    Crash,
}

/// How many candidates one compile checks.
const CHUNK: usize = 48;

/// The smallest variant of `case` found before `deadline` that still fails as `failure`.
/// `progress` hears about every step.
pub fn reduce(
    harness: &Harness,
    case: &Case,
    failure: &Failure,
    deadline: Instant,
    progress: &mut dyn FnMut(&str),
) -> Case {
    let mut current = case.clone();
    'rounds: while Instant::now() < deadline {
        let candidates = current.body.simplifications();
        for chunk in candidates.chunks(CHUNK) {
            if Instant::now() >= deadline {
                break 'rounds;
            }
            let cases: Vec<Case> = chunk
                .iter()
                .enumerate()
                .map(|(id, body)| Case { id, body: body.clone(), ..current.clone() })
                .collect();
            if let Some(i) = first_failing(harness, &cases, failure) {
                current.body = chunk[i].clone();
                progress(&format!("reduced to {} bytes", current.source().len()));
                continue 'rounds;
            }
        }
        break;
    }
    current.id = case.id;
    current
}

/// The index of the first case that fails as `failure`.
fn first_failing(harness: &Harness, cases: &[Case], failure: &Failure) -> Option<usize> {
    let mut live: Vec<Case> = cases.to_vec();
    loop {
        harness.write(&live).ok()?;
        match harness.build() {
            Ok(exe) => {
                if let Failure::Compile { .. } = failure {
                    return None;
                }
                let verdicts = harness.run(&exe, &live);
                return live.iter().map(|c| c.id).find(|id| {
                    matches!(
                        (failure, verdicts.get(id)),
                        (Failure::Mismatch, Some(Verdict::Mismatch { .. }))
                            | (Failure::Hang, Some(Verdict::Hang))
                            | (Failure::Crash, Some(Verdict::Crash(_)))
                    )
                });
            }
            Err(errors) => {
                let errors = errors.by_case;
                if let Failure::Compile { headline } = failure {
                    return errors.iter().find_map(|(&id, errs)| {
                        let native_ok = errs.iter().all(|e| e.side == Side::Fiber);
                        let same = errs.iter().any(|e| &e.headline == headline);
                        (native_ok && same).then_some(id)
                    });
                }
                if errors.is_empty() {
                    return None;
                }
                live.retain(|c| !errors.contains_key(&c.id));
            }
        }
    }
}
