//! Two-player game search as mutually recursive fns in a `#[fiber] mod`: tic-tac-toe by minimax
//! with alpha-beta pruning (`x_move` <-> `o_move` on a `&mut [u8; 9]` board, making and undoing
//! each move, a node counter in a `&mut u64`, `if let Some(w) = winner(..)` early returns, the
//! loop left by `break` on a cut-off), and alpha-beta over an explicit game tree of
//! `enum Game { Leaf(i32), Choice(Vec<Game>) }` (`max_value` <-> `min_value`, logging the
//! leaves it evaluates).

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

pub const LINES: [[usize; 3]; 8] =
    [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]];

pub fn winner(board: &[u8; 9]) -> Option<u8> {
    LINES
        .iter()
        .find(|l| board[l[0]] != b'.' && board[l[0]] == board[l[1]] && board[l[1]] == board[l[2]])
        .map(|l| board[l[0]])
}

#[derive(Debug)]
pub enum Game {
    Leaf(i32),
    Choice(Vec<Game>),
}

impl Drop for Game {
    fn drop(&mut self) {
        let Game::Choice(children) = self else { return };
        let mut stack = std::mem::take(children);
        while let Some(mut g) = stack.pop() {
            if let Game::Choice(children) = &mut g {
                stack.append(children);
            }
        }
    }
}

twins! {
    pub mod ttt {
        use super::*;

        /// The value for X (+1 win, 0 draw, -1 loss) with X to move.
        pub fn x_move(board: &mut [u8; 9], mut alpha: i32, beta: i32, nodes: &mut u64) -> i32 {
            *nodes += 1;
            if let Some(w) = winner(board) {
                return if w == b'X' { 1 } else { -1 };
            }
            if !board.contains(&b'.') {
                return 0;
            }
            let mut best = -2;
            for cell in 0..9 {
                if board[cell] != b'.' {
                    continue;
                }
                board[cell] = b'X';
                let value = o_move(board, alpha, beta, nodes);
                board[cell] = b'.';
                best = best.max(value);
                alpha = alpha.max(value);
                if alpha >= beta {
                    break;
                }
            }
            best
        }

        pub fn o_move(board: &mut [u8; 9], alpha: i32, mut beta: i32, nodes: &mut u64) -> i32 {
            *nodes += 1;
            if let Some(w) = winner(board) {
                return if w == b'X' { 1 } else { -1 };
            }
            if board.iter().all(|&c| c != b'.') {
                return 0;
            }
            let mut best = 2;
            for cell in 0..9 {
                if board[cell] == b'.' {
                    board[cell] = b'O';
                    let value = x_move(board, alpha, beta, nodes);
                    board[cell] = b'.';
                    best = best.min(value);
                    beta = beta.min(value);
                    if alpha >= beta {
                        break;
                    }
                }
            }
            best
        }
    }

    pub mod tree {
        use super::*;

        pub fn max_value(g: &Game, alpha: i32, beta: i32) -> i32 {
            let children = match g {
                Game::Leaf(v) => return log("leaf", *v),
                Game::Choice(children) => children,
            };
            let mut alpha = alpha;
            let mut best = i32::MIN;
            for child in children {
                let v = min_value(child, alpha, beta);
                if v > best {
                    best = v;
                }
                if best >= beta {
                    return best;
                }
                alpha = alpha.max(best);
            }
            best
        }

        pub fn min_value(g: &Game, alpha: i32, beta: i32) -> i32 {
            match g {
                Game::Leaf(v) => log("leaf", *v),
                Game::Choice(children) => {
                    let mut beta = beta;
                    let mut best = i32::MAX;
                    for child in children.iter() {
                        best = best.min(max_value(child, alpha, beta));
                        if best <= alpha {
                            break;
                        }
                        beta = beta.min(best);
                    }
                    best
                }
            }
        }
    }
}

fn board(s: &str) -> [u8; 9] {
    s.as_bytes().try_into().unwrap()
}

fn ttt(s: &str) -> (i32, u64) {
    let mut b = board(s);
    let mut nodes = 0;
    let n = native::ttt::x_move(&mut b, -2, 2, &mut nodes);
    let native = (n, nodes);
    let mut nodes = 0;
    let f = run(fiber::ttt::x_move(&mut b, -2, 2, &mut nodes));
    assert_eq!(b, board(s), "the board is restored");
    assert_eq!(native, (f, nodes));
    native
}

#[test]
fn minimax_matches_native() {
    assert_eq!(ttt(".........").0, 0);
    assert_eq!(ttt("XX.OO....").0, 1);
    assert_eq!(ttt("XO.XO....").0, 1);
    assert_eq!(ttt("OO.XX.X..").0, 1);
    assert_eq!(ttt("OOOXX.X..").0, -1);
    // The textbook tree: 3 at the root, with the last two leaves of the middle branch pruned.
    let leaves = |vs: &[i32]| Game::Choice(vs.iter().map(|&v| Game::Leaf(v)).collect());
    let g = Game::Choice(vec![leaves(&[3, 12, 8]), leaves(&[2, 4, 6]), leaves(&[14, 5, 2])]);
    let n = logged(|| native::tree::max_value(&g, i32::MIN, i32::MAX));
    let f = logged(|| run(fiber::tree::max_value(&g, i32::MIN, i32::MAX)));
    assert_eq!(n, f);
    assert_eq!(f.0, 3);
    assert_eq!(f.1, ["leaf:3", "leaf:12", "leaf:8", "leaf:2", "leaf:14", "leaf:5", "leaf:2"]);
}

fn arb_game() -> impl Strategy<Value = Game> {
    (-20i32..20)
        .prop_map(Game::Leaf)
        .prop_recursive(4, 60, 4, |inner| prop::collection::vec(inner, 1..4).prop_map(Game::Choice))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn minimax_random_trees_match_native(g in arb_game()) {
        let n = logged(|| native::tree::max_value(&g, i32::MIN, i32::MAX));
        let f = logged(|| run(fiber::tree::max_value(&g, i32::MIN, i32::MAX)));
        prop_assert_eq!(n, f);
    }

    #[test]
    fn minimax_random_boards_match_native(cells in prop::collection::vec(prop::sample::select(vec![b'.', b'.', b'X', b'O']), 9)) {
        let s = String::from_utf8(cells).unwrap();
        ttt(&s);
    }
}

/// A line of choices `depth` long: at each level a leaf `level` and the rest of the line.
fn line(depth: i32) -> Game {
    let mut g = Game::Leaf(depth);
    for level in (0..depth).rev() {
        g = Game::Choice(vec![g, Game::Leaf(level)]);
    }
    g
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn minimax_100_000_deep() {
    const DEEP: i32 = 100_000;
    let g = line(DEEP);
    let f = run(fiber::tree::max_value(&g, i32::MIN, i32::MAX));
    let (n, g) = on_big_stack(move || (native::tree::max_value(&g, i32::MIN, i32::MAX), g));
    assert_eq!(n, f);
    drop(g);
}
