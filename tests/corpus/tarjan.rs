//! Graph algorithms that carry `&mut` state structs down the recursion: Tarjan's strongly
//! connected components (`index`/`low`/`on_stack` in a `Tarjan` struct, a `match` with a guard on
//! the neighbour's state, `while let` popping the component), bridges of an undirected graph
//! (`continue` past the parent edge), and a directed-cycle finder that returns the cycle from
//! the middle of its loop (`return Some(..)` out of a `for`, `if let Some(..) = f(..)`).

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

pub struct Tarjan {
    pub index: Vec<Option<usize>>,
    pub low: Vec<usize>,
    pub on_stack: Vec<bool>,
    pub stack: Vec<usize>,
    pub next_index: usize,
    pub components: Vec<Vec<usize>>,
}

impl Tarjan {
    pub fn new(n: usize) -> Self {
        Tarjan {
            index: vec![None; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            next_index: 0,
            components: Vec::new(),
        }
    }
}

pub struct Bridges {
    pub disc: Vec<usize>,
    pub low: Vec<usize>,
    pub time: usize,
    pub found: Vec<(usize, usize)>,
}

twins! {
    pub fn strong_connect(v: usize, graph: &[Vec<usize>], st: &mut Tarjan) {
        st.index[v] = Some(st.next_index);
        st.low[v] = st.next_index;
        st.next_index += 1;
        st.stack.push(v);
        st.on_stack[v] = true;

        for &w in &graph[v] {
            match st.index[w] {
                None => {
                    strong_connect(w, graph, st);
                    st.low[v] = st.low[v].min(st.low[w]);
                }
                Some(iw) if st.on_stack[w] => st.low[v] = st.low[v].min(iw),
                Some(_) => {}
            }
        }

        if Some(st.low[v]) == st.index[v] {
            let mut component = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            component.sort_unstable();
            log("component", component.len());
            st.components.push(component);
        }
    }

    pub fn bridges(v: usize, parent: Option<usize>, adj: &[Vec<usize>], st: &mut Bridges) {
        st.time += 1;
        st.disc[v] = st.time;
        st.low[v] = st.time;
        for &w in adj[v].iter() {
            if Some(w) == parent {
                continue;
            }
            if st.disc[w] != 0 {
                st.low[v] = st.low[v].min(st.disc[w]);
                continue;
            }
            bridges(w, Some(v), adj, st);
            st.low[v] = st.low[v].min(st.low[w]);
            if st.low[w] > st.disc[v] {
                st.found.push(log("bridge", (v.min(w), v.max(w))));
            }
        }
    }

    /// `colour`: 0 unvisited, 1 on the current path, 2 done.
    pub fn find_cycle(v: usize, graph: &[Vec<usize>], colour: &mut [u8], path: &mut Vec<usize>) -> Option<Vec<usize>> {
        colour[v] = 1;
        path.push(v);
        for &w in &graph[v] {
            if colour[w] == 1 {
                let start = path.iter().position(|&x| x == w).unwrap();
                return Some(path[start..].to_vec());
            }
            if colour[w] == 0 {
                if let Some(cycle) = find_cycle(w, graph, colour, path) {
                    return Some(cycle);
                }
            }
        }
        path.pop();
        colour[v] = 2;
        None
    }
}

fn components_native(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut st = Tarjan::new(graph.len());
    for v in 0..graph.len() {
        if st.index[v].is_none() {
            native::strong_connect(v, graph, &mut st);
        }
    }
    st.components
}

fn components_fiber(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut st = Tarjan::new(graph.len());
    for v in 0..graph.len() {
        if st.index[v].is_none() {
            run(fiber::strong_connect(v, graph, &mut st));
        }
    }
    st.components
}

fn bridges_of(adj: &[Vec<usize>], fiber: bool) -> Vec<(usize, usize)> {
    let n = adj.len();
    let mut st = Bridges { disc: vec![0; n], low: vec![0; n], time: 0, found: Vec::new() };
    for v in 0..n {
        if st.disc[v] == 0 {
            if fiber {
                run(fiber::bridges(v, None, adj, &mut st));
            } else {
                native::bridges(v, None, adj, &mut st);
            }
        }
    }
    st.found.sort_unstable();
    st.found
}

fn cycle_of(graph: &[Vec<usize>], fiber: bool) -> Option<Vec<usize>> {
    let mut colour = vec![0; graph.len()];
    for v in 0..graph.len() {
        if colour[v] != 0 {
            continue;
        }
        let mut path = Vec::new();
        let found = if fiber {
            run(fiber::find_cycle(v, graph, &mut colour, &mut path))
        } else {
            native::find_cycle(v, graph, &mut colour, &mut path)
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn directed(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut g = vec![Vec::new(); n];
    for &(a, b) in edges {
        g[a % n].push(b % n);
    }
    g
}

fn undirected(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut g = vec![Vec::new(); n];
    for &(a, b) in edges {
        let (a, b) = (a % n, b % n);
        if a != b && !g[a].contains(&b) {
            g[a].push(b);
            g[b].push(a);
        }
    }
    g
}

fn check(n: usize, edges: &[(usize, usize)]) {
    let g = directed(n, edges);
    assert_eq!(logged(|| components_native(&g)), logged(|| components_fiber(&g)));
    assert_eq!(cycle_of(&g, false), cycle_of(&g, true));
    let u = undirected(n, edges);
    assert_eq!(logged(|| bridges_of(&u, false)), logged(|| bridges_of(&u, true)));
}

#[test]
fn tarjan_matches_native() {
    let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3), (6, 5), (6, 7), (7, 6)];
    let g = directed(8, &edges);
    let mut comps = components_fiber(&g);
    comps.sort();
    assert_eq!(comps, vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7]]);
    assert_eq!(cycle_of(&g, true), Some(vec![0, 1, 2]));
    assert_eq!(cycle_of(&directed(4, &[(0, 1), (1, 2), (0, 2), (2, 3)]), true), None);
    let u = undirected(7, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3), (5, 6)]);
    assert_eq!(bridges_of(&u, true), vec![(2, 3), (5, 6)]);
    check(8, &edges);
    check(1, &[]);
    check(3, &[(0, 0)]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn tarjan_random_matches_native(n in 1usize..14, edges in prop::collection::vec((0usize..14, 0usize..14), 0..30)) {
        check(n, &edges);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn tarjan_100_000_deep() {
    const DEEP: usize = 100_000;
    // A path 0 -> 1 -> .. -> DEEP - 1: every vertex its own component, found deepest first.
    let path: Vec<(usize, usize)> = (0..DEEP - 1).map(|i| (i, i + 1)).collect();
    let g = directed(DEEP, &path);
    let comps = components_fiber(&g);
    assert_eq!(comps.len(), DEEP);
    assert_eq!(comps[0], vec![DEEP - 1]);
    assert_eq!(cycle_of(&g, true), None);
    // Closing it makes one component and one cycle through every vertex.
    let mut ring = path.clone();
    ring.push((DEEP - 1, 0));
    let g = directed(DEEP, &ring);
    let comps = components_fiber(&g);
    assert_eq!(comps.len(), 1);
    assert_eq!(comps[0].len(), DEEP);
    assert_eq!(cycle_of(&g, true).map(|c| c.len()), Some(DEEP));
    // Undirected: the path's edges are all bridges; the ring has none.
    assert_eq!(bridges_of(&undirected(DEEP, &path), true).len(), DEEP - 1);
    assert!(bridges_of(&undirected(DEEP, &ring), true).is_empty());
    let native = on_big_stack(move || {
        let g = directed(DEEP, &ring);
        (
            components_native(&g).len(),
            cycle_of(&g, false).map(|c| c.len()),
            bridges_of(&undirected(DEEP, &path), false).len(),
        )
    });
    assert_eq!(native, (1, Some(DEEP), DEEP - 1));
}
