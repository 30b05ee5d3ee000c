//! A Sudoku solver: backtracking over the empty cells of a `[[u8; 9]; 9]` grid with a
//! validity check, counting solutions up to a limit.

use crate::common::{log, logged};
use fiber_runtime::run;

pub type Grid = [[u8; 9]; 9];

fn allowed(g: &Grid, r: usize, c: usize, d: u8) -> bool {
    let (br, bc) = (r / 3 * 3, c / 3 * 3);
    (0..9).all(|i| g[r][i] != d && g[i][c] != d && g[br + i / 3][bc + i % 3] != d)
}

twins! {
    /// Fills `g` with the first solution found; `false` if there is none.
    pub fn solve(g: &mut Grid) -> bool {
        let Some((r, c)) = (0..81).map(|i| (i / 9, i % 9)).find(|&(r, c)| g[r][c] == 0) else {
            return true;
        };
        for d in 1..=9 {
            if allowed(g, r, c, d) {
                g[r][c] = d;
                if solve(g) {
                    return true;
                }
            }
        }
        g[r][c] = 0;
        false
    }

    /// Counts solutions from cell `pos` on, stopping at `limit`.
    pub fn count(g: &mut Grid, pos: usize, limit: u32) -> u32 {
        if pos == 81 {
            log("solution", g[0]);
            return 1;
        }
        let (r, c) = (pos / 9, pos % 9);
        if g[r][c] != 0 {
            return count(g, pos + 1, limit);
        }
        let mut found = 0;
        for d in 1..=9 {
            if found >= limit {
                break;
            }
            if !allowed(g, r, c, d) {
                continue;
            }
            g[r][c] = d;
            found += count(g, pos + 1, limit - found);
        }
        g[r][c] = 0;
        found
    }
}

fn parse(s: &str) -> Grid {
    let mut g = [[0; 9]; 9];
    for (i, ch) in s.chars().filter(|c| !c.is_whitespace()).enumerate() {
        g[i / 9][i % 9] = ch.to_digit(10).unwrap_or(0) as u8;
    }
    g
}

const PUZZLE: &str = "
53..7....
6..195...
.98....6.
8...6...3
4..8.3..1
7...2...6
.6....28.
...419..5
....8..79";

#[test]
fn sudoku_matches_native() {
    let (mut a, mut b) = (parse(PUZZLE), parse(PUZZLE));
    assert_eq!(native::solve(&mut a), run(fiber::solve(&mut b)));
    assert_eq!(a, b);
    assert_eq!(a[0], [5, 3, 4, 6, 7, 8, 9, 1, 2]);
    // Remove clues from the solution: several solutions, counted up to 5.
    let mut loose = a;
    for row in loose.iter_mut().take(4) {
        *row = [0; 9];
    }
    let (mut x, mut y) = (loose, loose);
    assert_eq!(logged(|| native::count(&mut x, 0, 5)), logged(|| run(fiber::count(&mut y, 0, 5))));
    assert_eq!(x, y);
    let mut bad = parse(PUZZLE);
    bad[0][2] = 5;
    let (mut x, mut y) = (bad, bad);
    assert_eq!(native::solve(&mut x), run(fiber::solve(&mut y)));
    assert_eq!(x, y);
}
