//! Graph walks over an adjacency list: DFS pre-order with `visited: &mut Vec<bool>`, connected
//! components, path finding with a `&mut Vec` path (backtracking), and bipartite colouring.

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

pub struct Graph {
    adj: Vec<Vec<usize>>,
}

impl Graph {
    pub fn undirected(n: usize, edges: &[(usize, usize)]) -> Graph {
        let mut adj = vec![Vec::new(); n];
        for &(a, b) in edges {
            adj[a].push(b);
            adj[b].push(a);
        }
        Graph { adj }
    }
}

twins! {
    pub fn dfs(g: &Graph, v: usize, visited: &mut Vec<bool>, order: &mut Vec<usize>) {
        if visited[v] {
            return;
        }
        visited[v] = true;
        order.push(log("enter", v));
        for &w in &g.adj[v] {
            dfs(g, w, visited, order);
        }
    }

    pub fn components(g: &Graph) -> Vec<Vec<usize>> {
        let mut visited = vec![false; g.adj.len()];
        let mut result = Vec::new();
        for v in 0..g.adj.len() {
            if !visited[v] {
                let mut comp = Vec::new();
                dfs_native(g, v, &mut visited, &mut comp);
                comp.sort_unstable();
                result.push(comp);
            }
        }
        result
    }

    pub fn find_path(g: &Graph, from: usize, to: usize, seen: &mut Vec<bool>, path: &mut Vec<usize>) -> bool {
        path.push(from);
        if from == to {
            return true;
        }
        seen[from] = true;
        for &next in &g.adj[from] {
            if !seen[next] && find_path(g, next, to, seen, path) {
                return true;
            }
        }
        path.pop();
        false
    }

    /// Two-colours the component of `v`; `Err` holds an edge whose ends got the same colour.
    pub fn colour(g: &Graph, v: usize, c: u8, colours: &mut Vec<Option<u8>>) -> Result<(), (usize, usize)> {
        colours[v] = Some(c);
        for &w in &g.adj[v] {
            match colours[w] {
                Some(cw) if cw == c => return Err((v, w)),
                Some(_) => {}
                None => colour(g, w, 1 - c, colours)?,
            }
        }
        Ok(())
    }
}

/// `components` keeps its DFS native: it is not itself recursive.
fn dfs_native(g: &Graph, v: usize, visited: &mut [bool], order: &mut Vec<usize>) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        if !std::mem::replace(&mut visited[v], true) {
            order.push(v);
            stack.extend(g.adj[v].iter().rev());
        }
    }
}

fn check(n: usize, edges: &[(usize, usize)]) {
    let g = Graph::undirected(n, edges);
    for start in 0..n {
        let walk = |fiber: bool| {
            let mut visited = vec![false; n];
            let mut order = Vec::new();
            if fiber {
                run(fiber::dfs(&g, start, &mut visited, &mut order));
            } else {
                native::dfs(&g, start, &mut visited, &mut order);
            }
            (order, visited)
        };
        assert_eq!(logged(|| walk(false)), logged(|| walk(true)));
        for to in 0..n {
            let (mut s1, mut p1) = (vec![false; n], Vec::new());
            let (mut s2, mut p2) = (vec![false; n], Vec::new());
            let a = native::find_path(&g, start, to, &mut s1, &mut p1);
            let b = run(fiber::find_path(&g, start, to, &mut s2, &mut p2));
            assert_eq!((a, p1, s1), (b, p2, s2));
        }
        let mut c1 = vec![None; n];
        let mut c2 = vec![None; n];
        assert_eq!(native::colour(&g, start, 0, &mut c1), run(fiber::colour(&g, start, 0, &mut c2)));
        assert_eq!(c1, c2);
    }
    assert_eq!(native::components(&g), run(fiber::components(&g)));
}

#[test]
fn graph_dfs_matches_native() {
    check(6, &[(0, 1), (1, 2), (2, 0), (3, 4)]);
    check(5, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]);
    check(4, &[(0, 1), (2, 3), (1, 2)]);
    check(1, &[]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn graph_dfs_random_matches_native(edges in prop::collection::vec((0usize..9, 0usize..9), 0..16)) {
        check(9, &edges);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn graph_dfs_100_000_deep() {
    const DEEP: usize = 100_000;
    let edges: Vec<(usize, usize)> = (0..DEEP - 1).map(|i| (i, i + 1)).collect();
    let g = Graph::undirected(DEEP, &edges);
    let mut visited = vec![false; DEEP];
    let mut order = Vec::new();
    run(fiber::dfs(&g, 0, &mut visited, &mut order));
    assert_eq!(order, (0..DEEP).collect::<Vec<_>>());
    let (mut seen, mut path) = (vec![false; DEEP], Vec::new());
    assert!(run(fiber::find_path(&g, 0, DEEP - 1, &mut seen, &mut path)));
    assert_eq!(path.len(), DEEP);
    let mut colours = vec![None; DEEP];
    assert_eq!(run(fiber::colour(&g, 0, 0, &mut colours)), Ok(()));
    let expected = on_big_stack(move || {
        let mut colours2 = vec![None; DEEP];
        native::colour(&g, 0, 0, &mut colours2).map(|_| colours2)
    });
    assert_eq!(Ok(colours), expected);
}
