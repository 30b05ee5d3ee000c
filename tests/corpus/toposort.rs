//! Topological sort of a dependency graph (`HashMap<&str, Vec<&str>>`) by DFS with three-colour
//! marking; a cycle comes back as `Err` with the cycle's path, through `?`.

use std::collections::HashMap;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Mark {
    Visiting,
    Done,
}

twins! {
    pub fn visit<'a>(
        deps: &HashMap<&'a str, Vec<&'a str>>,
        node: &'a str,
        marks: &mut HashMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
        order: &mut Vec<&'a str>,
    ) -> Result<(), Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Visiting) => {
                let start = stack.iter().position(|n| *n == node).unwrap();
                let mut cycle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
                cycle.push(node.to_string());
                return Err(cycle);
            }
            None => {}
        }
        marks.insert(node, Mark::Visiting);
        stack.push(node);
        if let Some(children) = deps.get(node) {
            for child in children {
                visit(deps, child, marks, stack, order)?;
            }
        }
        stack.pop();
        marks.insert(node, Mark::Done);
        order.push(log("done", node));
        Ok(())
    }
}

fn sort_native<'a>(
    deps: &HashMap<&'a str, Vec<&'a str>>,
    roots: &[&'a str],
) -> Result<Vec<&'a str>, Vec<String>> {
    let (mut marks, mut stack, mut order) = (HashMap::new(), Vec::new(), Vec::new());
    for r in roots {
        native::visit(deps, r, &mut marks, &mut stack, &mut order)?;
    }
    Ok(order)
}

fn sort_fiber<'a>(
    deps: &HashMap<&'a str, Vec<&'a str>>,
    roots: &[&'a str],
) -> Result<Vec<&'a str>, Vec<String>> {
    let (mut marks, mut stack, mut order) = (HashMap::new(), Vec::new(), Vec::new());
    for r in roots {
        run(fiber::visit(deps, r, &mut marks, &mut stack, &mut order))?;
    }
    Ok(order)
}

#[test]
fn toposort_matches_native() {
    let build = HashMap::from([
        ("app", vec!["lib", "log", "cli"]),
        ("lib", vec!["core", "log"]),
        ("cli", vec!["core"]),
        ("log", vec!["core"]),
        ("core", vec![]),
    ]);
    let roots = ["app", "cli", "zzz"];
    assert_eq!(logged(|| sort_native(&build, &roots)), logged(|| sort_fiber(&build, &roots)));
    assert_eq!(sort_fiber(&build, &roots).unwrap(), ["core", "log", "lib", "cli", "app", "zzz"]);
    let mut cyclic = build.clone();
    cyclic.insert("core", vec!["util"]);
    cyclic.insert("util", vec!["lib"]);
    let result = logged(|| sort_fiber(&cyclic, &roots));
    assert_eq!(logged(|| sort_native(&cyclic, &roots)), result);
    assert_eq!(result.0.unwrap_err(), ["lib", "core", "util", "lib"]);
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn toposort_100_000_deep() {
    const DEEP: usize = 100_000;
    let names: Vec<String> = (0..DEEP).map(|i| format!("m{i}")).collect();
    let mut deps: HashMap<&str, Vec<&str>> = HashMap::new();
    for i in 0..DEEP - 1 {
        deps.insert(&names[i], vec![&names[i + 1]]);
    }
    let order = sort_fiber(&deps, &[&names[0]]).unwrap();
    assert_eq!(order.len(), DEEP);
    assert_eq!(order[0], names[DEEP - 1]);
    deps.insert(&names[DEEP - 1], vec![&names[0]]);
    let cycle = sort_fiber(&deps, &[&names[0]]).unwrap_err();
    assert_eq!(cycle.len(), DEEP + 1);
    let names2 = names.clone();
    let native_len = on_big_stack(move || {
        let mut deps: HashMap<&str, Vec<&str>> = HashMap::new();
        for i in 0..DEEP - 1 {
            deps.insert(&names2[i], vec![&names2[i + 1]]);
        }
        sort_native(&deps, &[&names2[0]]).unwrap().len()
    });
    assert_eq!(native_len, DEEP);
}
