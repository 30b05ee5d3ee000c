//! A corpus of recursive programs written the way Rust code is usually written (interpreters,
//! parsers, tree and graph walks, memoized recursions, backtracking, generic algorithms), each
//! compiled twice by `twins!`: natively and with `#[fiber]`. Every program is checked against its
//! native twin (results and side-effect logs), and, where its shape allows, run at least
//! 100,000 levels deep. Programs the macro does not accept yet are in `tests/corpus_pending/`.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod arith_parser;
mod backtracking;
mod bool_grammar;
mod bst;
mod calc;
mod combinatorics;
mod cons_list;
mod edit_distance;
mod flatten;
mod flood_fill;
mod graph_dfs;
mod hanoi;
mod huffman;
mod json;
mod linked_list;
mod memo;
mod memo_dp;
mod minimax;
mod nary_tree;
mod numeric;
mod ord_tree;
mod parity;
mod pretty_print;
mod regex;
mod scoped_interp;
mod sexpr;
mod sorting;
mod string_gen;
mod strings;
mod sudoku;
mod symbolic;
mod tarjan;
mod toposort;
mod tree_fold;
mod trie;
mod xml_writer;
