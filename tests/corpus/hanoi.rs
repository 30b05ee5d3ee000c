//! Towers of Hanoi: the classic three-peg recursion logging each move, one collecting moves in a
//! `&mut Vec<(char, char)>`, and a check that replays them on real pegs of `Loud` discs.

use crate::common::{Loud, log, logged, take_alive};
use fiber_runtime::run;

twins! {
    pub fn hanoi(n: u32, from: char, to: char, via: char, moves: &mut Vec<(char, char)>) {
        if n == 0 {
            return;
        }
        hanoi(n - 1, from, via, to, moves);
        log("move", (n, from, to));
        moves.push((from, to));
        hanoi(n - 1, via, to, from, moves);
    }

    /// Moves the top `n` discs between real pegs, dropping nothing on the way; returns the count.
    pub fn shift(n: usize, pegs: &mut [Vec<Loud>; 3], from: usize, to: usize) -> u64 {
        if n == 0 {
            return 0;
        }
        let via = 3 - from - to;
        let mut count = shift(n - 1, pegs, from, via);
        let disc = pegs[from].pop().expect("a disc to move");
        if let Some(top) = pegs[to].last() {
            assert!(top.0 > disc.0, "a larger disc on a smaller one");
        }
        pegs[to].push(disc);
        count += 1;
        count + shift(n - 1, pegs, via, to)
    }
}

#[test]
fn hanoi_matches_native() {
    for n in 0..8 {
        let a = logged(|| {
            let mut moves = Vec::new();
            native::hanoi(n, 'A', 'C', 'B', &mut moves);
            moves
        });
        let b = logged(|| {
            let mut moves = Vec::new();
            run(fiber::hanoi(n, 'A', 'C', 'B', &mut moves));
            moves
        });
        assert_eq!(a, b);
        assert_eq!(b.0.len(), (1 << n) - 1);
    }
    for n in 0..7u64 {
        let tower = || [(0..n).rev().map(|id| Loud::new(id + 1)).collect(), Vec::new(), Vec::new()];
        let a = logged(|| {
            let mut pegs = tower();
            let moved = native::shift(n as usize, &mut pegs, 0, 2);
            (moved, pegs.map(|p| p.iter().map(|d| d.0).collect::<Vec<_>>()))
        });
        let b = logged(|| {
            let mut pegs = tower();
            let moved = run(fiber::shift(n as usize, &mut pegs, 0, 2));
            (moved, pegs.map(|p| p.iter().map(|d| d.0).collect::<Vec<_>>()))
        });
        assert_eq!(a, b);
        assert_eq!(take_alive(), 0);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn hanoi_20_discs() {
    // Hanoi's depth is the disc count; 2^20 - 1 moves is the most worth running.
    let mut moves = Vec::new();
    run(fiber::hanoi(20, 'A', 'C', 'B', &mut moves));
    assert_eq!(moves.len(), (1 << 20) - 1);
    assert_eq!(moves[0], ('A', 'B'));
}
