//! Flood fill on a grid of chars (4-neighbour recursion on `&mut Vec<Vec<char>>`), counting
//! islands, and the area of the largest one.

use crate::common::on_big_stack;
use fiber_runtime::run;

twins! {
    pub fn fill(grid: &mut Vec<Vec<char>>, r: usize, c: usize, from: char, to: char) -> usize {
        if r >= grid.len() || c >= grid[r].len() || grid[r][c] != from {
            return 0;
        }
        grid[r][c] = to;
        let mut area = 1;
        area += fill(grid, r + 1, c, from, to);
        area += fill(grid, r, c + 1, from, to);
        if r > 0 {
            area += fill(grid, r - 1, c, from, to);
        }
        if c > 0 {
            area += fill(grid, r, c - 1, from, to);
        }
        area
    }

    pub fn islands(grid: &mut Vec<Vec<char>>) -> (usize, usize) {
        let mut count = 0;
        let mut largest = 0;
        for r in 0..grid.len() {
            for c in 0..grid[r].len() {
                if grid[r][c] == '#' {
                    count += 1;
                    largest = largest.max(fill_native(grid, r, c));
                }
            }
        }
        (count, largest)
    }
}

/// `islands` is not itself recursive: its fill is an explicit stack.
fn fill_native(grid: &mut [Vec<char>], r: usize, c: usize) -> usize {
    let mut stack = vec![(r, c)];
    let mut area = 0;
    while let Some((r, c)) = stack.pop() {
        if r < grid.len() && c < grid[r].len() && grid[r][c] == '#' {
            grid[r][c] = '~';
            area += 1;
            stack.extend([(r + 1, c), (r, c + 1), (r.wrapping_sub(1), c), (r, c.wrapping_sub(1))]);
        }
    }
    area
}

fn parse(map: &str) -> Vec<Vec<char>> {
    map.lines().map(|l| l.chars().collect()).collect()
}

const MAP: &str = "\
##..#....#
#..##..###
...#...#..
####.....#
.........#
#.#.#.####";

#[test]
fn flood_fill_matches_native() {
    let grid = parse(MAP);
    for r in 0..grid.len() {
        for c in 0..grid[0].len() {
            let (mut a, mut b) = (grid.clone(), grid.clone());
            let area = native::fill(&mut a, r, c, '.', 'o');
            assert_eq!(area, run(fiber::fill(&mut b, r, c, '.', 'o')));
            assert_eq!(a, b);
        }
    }
    let (mut a, mut b) = (grid.clone(), grid.clone());
    assert_eq!(native::islands(&mut a), run(fiber::islands(&mut b)));
    assert_eq!(run(fiber::islands(&mut grid.clone())), (7, 8));
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn flood_fill_100_000_deep() {
    // A serpentine corridor of 100,000 cells: the fill goes one level per cell.
    let (rows, cols) = (201, 1_000);
    let mut grid = vec![vec!['#'; cols]; rows];
    for r in (1..rows).step_by(2) {
        grid[r].fill('.');
        let gap = if r % 4 == 1 { cols - 1 } else { 0 };
        grid[r][gap] = '#';
    }
    let walls = grid.clone();
    let area = run(fiber::fill(&mut grid, 0, 0, '#', '+'));
    assert_eq!(area, 101 * cols + 100);
    assert!(area >= 100_000);
    let expected = on_big_stack(move || {
        let mut g = walls;
        native::fill(&mut g, 0, 0, '#', '+')
    });
    assert_eq!(area, expected);
}
