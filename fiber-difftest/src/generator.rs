//! The program generator: from a seed, one random, well-typed, terminating recursive fn `f`,
//! or a group of mutually recursive fns in a `mod`, or methods of an `impl` ([`Shape`]).
//!
//! Every fn takes `fuel: u32` first. A recursive call is generated only where `fuel > 0` is
//! known (after a leading `if fuel == 0 { return .. }`, or inside an `if fuel > 0` branch), and
//! passes a smaller fuel (`fuel - 1`, `fuel / 2`, ..), so every program terminates. Loops count
//! with a counter incremented first thing in the body (so `continue` cannot skip it) or iterate
//! over a range, an array or a slice argument. Arithmetic wraps; nothing panics natively.
//!
//! The generator tracks the variables in scope, the enclosing loops and labeled blocks (what a
//! `break`/`continue` may target, and with a value of which type), whether a call is allowed, and
//! an upper bound on the calls one invocation makes (`branching`), from which the runner picks
//! a fuel that keeps each run small.

use crate::code;
use crate::rng::Rng;
use crate::tree::{Kind, Node, Ty};

/// Forms that can be switched on or off. The default generates the forms `#[fiber]` supports
/// today; forms it does not support yet are off until it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Locals holding a `Noisy` value whose `Drop` logs, kept across calls (drop order).
    /// Default on.
    pub drops: bool,
    /// `boom(tag)` panics at chosen points; the runner compares the payloads. Default on.
    pub panics: bool,
    /// A slice argument passed in another slice parameter's place (`f(.., ys, xs)`). Default on;
    /// switch it off to look past the errors it causes.
    pub swap_refs: bool,
    /// `let` reuses a name in scope (`let a = ..` over the parameter `a`). Default on.
    pub shadow: bool,
    /// An `acc: &mut Vec<i64>` parameter passed on to recursive calls, and local `Vec`s passed
    /// as `&mut v` (pinned in the caller's frame). Default on.
    pub mut_acc: bool,
    /// Programs of the [`Shape::Mod`] shape: two or three mutually recursive fns in a
    /// `#[fiber] mod`. Default on.
    pub mutual: bool,
    /// Programs of the [`Shape::Impl`] shape: methods of a `#[fiber] impl` with a `&self`,
    /// `&mut self` or `self` receiver. Default on.
    pub methods: bool,
}

impl Default for Features {
    fn default() -> Features {
        Features {
            drops: true,
            panics: true,
            swap_refs: true,
            shadow: true,
            mut_acc: true,
            mutual: true,
            methods: true,
        }
    }
}

impl Features {
    /// Applies a comma-separated list of feature names to the defaults: `-drops,-panics`
    /// switches those off, `swap-refs` on.
    pub fn parse(list: &str) -> Result<Features, String> {
        let mut features = Features::default();
        for item in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let (name, on) = match item.strip_prefix('-') {
                Some(name) => (name, false),
                None => (item, true),
            };
            match name {
                "drops" => features.drops = on,
                "panics" => features.panics = on,
                "swap-refs" => features.swap_refs = on,
                "shadow" => features.shadow = on,
                "mut-acc" => features.mut_acc = on,
                "mutual" => features.mutual = on,
                "methods" => features.methods = on,
                _ => {
                    return Err(format!(
                        "unknown feature `{name}` (known: drops, panics, swap-refs, shadow, mut-acc, \
                         mutual, methods)"
                    ));
                }
            }
        }
        Ok(features)
    }
}

/// The declared return type of a generated fn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    I64,
    Opt,
    Res,
    Bool,
    Unit,
}

impl Ret {
    pub fn rust(self) -> &'static str {
        match self {
            Ret::I64 => "i64",
            Ret::Opt => "Option<i64>",
            Ret::Res => "Result<i64, i64>",
            Ret::Bool => "bool",
            Ret::Unit => "()",
        }
    }
}

/// How a program declares its fns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One fn `f`.
    Fn,
    /// `pub mod m { pub fn f(..) pub fn h(..) [pub fn g(..)] }`: fns that call each other and
    /// themselves, each with a return type of its own; the driver enters through `m::f`.
    Mod,
    /// `pub struct S { pub k: i64 }` and `impl S { pub fn f(<receiver>, ..) [pub fn h(..)] }`;
    /// the driver runs `s.f(..)` on `let mut s = S { k: .. }` and compares `s.k` too.
    Impl(Receiver),
}

/// The receiver of every method of a [`Shape::Impl`] program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receiver {
    Ref,
    Mut,
    Value,
}

impl Receiver {
    pub fn rust(self) -> &'static str {
        match self {
            Receiver::Ref => "&self",
            Receiver::Mut => "&mut self",
            Receiver::Value => "self",
        }
    }
}

/// One fn of a program: its name and return type. All fns of a program share its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Func {
    pub name: &'static str,
    pub ret: Ret,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Int,
    Slice,
    /// `acc: &mut Vec<i64>`, the caller's accumulator.
    Acc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub kind: ParamKind,
}

/// The arguments of one run: `fuel`, then one value per parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub fuel: u32,
    pub args: Vec<Arg>,
    /// The receiver's field `k` (`S { k }`), for a [`Shape::Impl`] program.
    pub k: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Int(i64),
    Slice(Vec<i64>),
    /// `&mut acc`, a `Vec` the driver creates empty and compares after the run.
    Acc,
}

impl Input {
    /// The arguments as Rust source: `3, 5i64, &[1i64, 2i64]`.
    pub fn rust(&self) -> String {
        let mut out = format!("{}", self.fuel);
        for arg in &self.args {
            out.push_str(", ");
            match arg {
                Arg::Int(v) => out.push_str(&int_literal(*v)),
                Arg::Slice(vs) => {
                    let items: Vec<String> = vs.iter().map(|&v| int_literal(v)).collect();
                    out.push_str(&format!("&[{}] as &[i64]", items.join(", ")));
                }
                Arg::Acc => out.push_str("&mut acc"),
            }
        }
        out
    }

    /// The arguments for a human: `f(3, 5, &[1, 2])`, or `S { k: 1 }.f(3, 5)` for a method.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.fuel.to_string()];
        for arg in &self.args {
            parts.push(match arg {
                Arg::Int(v) => v.to_string(),
                Arg::Slice(vs) => format!("&{vs:?}"),
                Arg::Acc => "&mut vec![]".to_string(),
            });
        }
        let receiver = self.k.map(|k| format!("S {{ k: {k} }}.")).unwrap_or_default();
        format!("{receiver}f({})", parts.join(", "))
    }
}

/// `5i64`, `(-3i64)`, `i64::MIN`: an `i64` literal that is an operand as it is.
pub fn int_literal(v: i64) -> String {
    match v {
        i64::MIN => "i64::MIN".to_string(),
        i64::MAX => "i64::MAX".to_string(),
        v if v < 0 => format!("({v}i64)"),
        v => format!("{v}i64"),
    }
}

/// The most elements a slice argument has; a loop over a slice runs at most this often.
pub const MAX_SLICE: usize = 5;
/// Fuel is chosen so that one run makes about this many calls at most.
const CALL_BUDGET: f64 = 2_000_000.0;
/// Fuel for a fn with at most one call per invocation: a deep recursion.
const LINEAR_FUEL: u32 = 50_000;
/// No call sites are added once one invocation may make this many calls.
const MAX_BRANCHING: u64 = 48;

/// The struct of a [`Shape::Impl`] program.
pub const STRUCT: &str = "#[derive(Clone, Copy, Debug)]\npub struct S {\n    pub k: i64,\n}\n\n";

/// One generated program (a fn `f`, a `mod` or an `impl`) and what the runner needs to run it.
#[derive(Clone, Debug)]
pub struct Program {
    pub seed: u64,
    pub shape: Shape,
    /// The fns, the entry `f` first.
    pub fns: Vec<Func>,
    /// The return type of `f`.
    pub ret: Ret,
    pub params: Vec<Param>,
    pub features: Features,
    /// For [`Shape::Fn`] the fn's block, braces included; for the other shapes the whole item
    /// (`pub mod m { .. }`, `impl S { .. }`), signatures as text, bodies with holes.
    pub body: Node,
    /// An upper bound on the recursive calls one invocation (of any of the fns) makes.
    pub branching: u64,
    /// The largest fuel the runner passes.
    pub max_fuel: u32,
}

const RETS: [Ret; 6] = [Ret::I64, Ret::I64, Ret::Opt, Ret::Res, Ret::Bool, Ret::Unit];

impl Program {
    pub fn generate(seed: u64, features: Features) -> Program {
        let shape = Program::pick_shape(seed, features);
        let mut rng = Rng::new(seed);
        let ret = *rng.pick(&RETS);
        let mut params = Vec::new();
        for name in ["a", "b", "c"].iter().take(1 + rng.below(3) as usize) {
            params.push(Param { name, kind: ParamKind::Int });
        }
        for name in ["xs", "ys"].iter().take(rng.below(3) as usize) {
            params.push(Param { name, kind: ParamKind::Slice });
        }
        if features.mut_acc && rng.chance(40) {
            params.push(Param { name: "acc", kind: ParamKind::Acc });
        }
        let mut fns = vec![Func { name: "f", ret }];
        let others = match shape {
            Shape::Fn => 0,
            Shape::Mod => 1 + rng.below(2),
            Shape::Impl(_) => rng.below(2),
        };
        for name in ["h", "g"].into_iter().take(others as usize) {
            fns.push(Func { name, ret: *rng.pick(&RETS) });
        }
        let mut g = Gen {
            rng,
            ret,
            params: params.clone(),
            features,
            shape,
            fns: fns.clone(),
            vars: Vec::new(),
            targets: Vec::new(),
            can_call: false,
            no_calls: false,
            guards: 0,
            mult: 1,
            branching: 0,
            names: 0,
            tags: 1,
        };
        let program = Program {
            seed,
            shape,
            fns,
            ret,
            params,
            features,
            body: Node::Seq(Vec::new()),
            branching: 0,
            max_fuel: 0,
        };
        let body = match shape {
            Shape::Fn => g.fn_body(),
            _ => g.group(&program),
        };
        let branching = g.branching;
        let max_fuel = match branching {
            0 => 3,
            1 => LINEAR_FUEL,
            b => ((CALL_BUDGET.ln() / (b as f64).ln()) as u32).clamp(1, 60),
        };
        Program { body, branching, max_fuel, ..program }
    }

    /// The shape, from a stream of its own: a program of the [`Shape::Fn`] shape is the same
    /// for a seed whichever shapes are switched on (and the same as before there were others).
    fn pick_shape(seed: u64, features: Features) -> Shape {
        let mut rng = Rng::new(seed ^ 0x5A4E_0F5E_ED00_C0DE);
        let weights = [50, if features.mutual { 25 } else { 0 }, if features.methods { 25 } else { 0 }];
        match rng.weighted(&weights) {
            0 => Shape::Fn,
            1 => Shape::Mod,
            _ => Shape::Impl(*rng.pick(&[Receiver::Ref, Receiver::Mut, Receiver::Value])),
        }
    }

    /// `pub fn f(fuel: u32, a: i64, xs: &[i64]) -> Option<i64>`
    pub fn signature(&self) -> String {
        self.signature_of(self.fns[0])
    }

    /// The signature of `func`, with the receiver of a method first.
    pub fn signature_of(&self, func: Func) -> String {
        let mut params = match self.shape {
            Shape::Impl(receiver) => vec![receiver.rust().to_string()],
            _ => Vec::new(),
        };
        params.push("fuel: u32".to_string());
        for p in &self.params {
            params.push(match p.kind {
                ParamKind::Int => format!("{}: i64", p.name),
                ParamKind::Slice => format!("{}: &[i64]", p.name),
                ParamKind::Acc => format!("{}: &mut Vec<i64>", p.name),
            });
        }
        let ret = if func.ret == Ret::Unit { String::new() } else { format!(" -> {}", func.ret.rust()) };
        format!("pub fn {}({}){ret}", func.name, params.join(", "))
    }

    /// The program's source with `body` in place of its body: the whole file (the struct of an
    /// `impl` included).
    pub fn source_with(&self, body: &Node) -> String {
        self.render(body, "")
    }

    /// The source of the fiber twin: `attribute` on the fn, the `mod` or the `impl`.
    pub fn render(&self, body: &Node, attribute: &str) -> String {
        match self.shape {
            Shape::Fn => format!("{attribute}{} {}", self.signature(), body.text()),
            Shape::Mod => format!("{attribute}{}", body.text()),
            Shape::Impl(_) => format!("{STRUCT}{attribute}{}", body.text()),
        }
    }

    pub fn source(&self) -> String {
        self.source_with(&self.body)
    }

    /// The inputs the runner tries: small and maximal fuel, ordinary and extreme integers,
    /// empty and non-empty slices.
    pub fn inputs(&self) -> Vec<Input> {
        let mut rng = Rng::new(self.seed ^ 0x1A2B_3C4D_5E6F_7081);
        let max = self.max_fuel;
        let fuels = [max.min(1), max.min(3), rng.below(u64::from(max) + 1) as u32, max];
        fuels
            .iter()
            .map(|&fuel| {
                let args = self
                    .params
                    .iter()
                    .map(|p| match p.kind {
                        ParamKind::Int => Arg::Int(input_int(&mut rng)),
                        ParamKind::Slice => {
                            let len = rng.below(MAX_SLICE as u64 + 1) as usize;
                            Arg::Slice((0..len).map(|_| input_int(&mut rng)).collect())
                        }
                        ParamKind::Acc => Arg::Acc,
                    })
                    .collect();
                let k = matches!(self.shape, Shape::Impl(_)).then(|| input_int(&mut rng));
                Input { fuel, args, k }
            })
            .collect()
    }
}

fn input_int(rng: &mut Rng) -> i64 {
    if rng.chance(85) {
        rng.range(-4, 9)
    } else {
        *rng.pick(&[i64::MIN, i64::MAX, -1000, 1 << 33, 123_456_789])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VarKind {
    I64,
    Bool,
    /// `&i64`, from iterating over a slice.
    Ref,
    Slice,
    /// The `acc: &mut Vec<i64>` parameter.
    Acc,
    /// A local `Vec<i64>`, passed to calls as `&mut v`.
    Vec,
}

#[derive(Clone, Debug)]
struct Var {
    name: String,
    kind: VarKind,
    mutable: bool,
    /// A loop counter: never assigned or shadowed, or the loop might not end.
    counter: bool,
}

/// Where a `break` or `continue` can go.
#[derive(Clone, Debug)]
struct Target {
    label: Option<String>,
    is_loop: bool,
    /// The type of the value a `break` must carry, if any.
    value: Option<Ty>,
}

struct Gen {
    rng: Rng,
    /// The return type of the fn being generated.
    ret: Ret,
    params: Vec<Param>,
    features: Features,
    shape: Shape,
    /// The fns a call may target.
    fns: Vec<Func>,
    vars: Vec<Var>,
    targets: Vec<Target>,
    /// `fuel > 0` is known here.
    can_call: bool,
    /// In a match guard or a `let .. else` block: no recursive calls.
    no_calls: bool,
    /// How many `fuel` guards enclose the current point.
    guards: u32,
    /// How often the current point runs per invocation, at most (product of loop bounds).
    mult: u64,
    branching: u64,
    names: u32,
    tags: i64,
}

/// `(node)` unless `node` is a plain name or literal, so that it can be an operand, a receiver
/// or a condition whatever it is.
fn paren(node: Node) -> Node {
    let text = node.text();
    if text.chars().all(|c| c.is_alphanumeric() || c == '_') || is_one_group(&text) {
        node
    } else {
        code!["(", node, ")"]
    }
}

/// `break 'b: { .. }` needs parentheses around the labeled block.
fn break_value(node: Node) -> Node {
    if node.text().starts_with('\'') { code!["(", node, ")"] } else { node }
}

/// `(..)` with the first parenthesis closed by the last character.
fn is_one_group(text: &str) -> bool {
    if !text.starts_with('(') {
        return false;
    }
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return i == text.len() - 1;
        }
    }
    false
}

impl Gen {
    // ---- bookkeeping ----

    fn fresh(&mut self, prefix: &str) -> String {
        self.names += 1;
        format!("{prefix}{}", self.names)
    }

    fn tag(&mut self) -> i64 {
        self.tags += 1;
        self.tags
    }

    fn calls_ok(&self) -> bool {
        self.can_call && !self.no_calls && self.branching < MAX_BRANCHING
    }

    /// Runs `f` in a nested scope: variables and targets it adds are gone afterwards.
    fn scoped<T>(&mut self, f: impl FnOnce(&mut Gen) -> T) -> T {
        let (vars, targets) = (self.vars.len(), self.targets.len());
        let (can_call, no_calls, guards, mult) = (self.can_call, self.no_calls, self.guards, self.mult);
        let out = f(self);
        self.vars.truncate(vars);
        self.targets.truncate(targets);
        (self.can_call, self.no_calls, self.guards, self.mult) = (can_call, no_calls, guards, mult);
        out
    }

    fn bind(&mut self, name: &str, kind: VarKind, mutable: bool) {
        self.vars.push(Var { name: name.to_string(), kind, mutable, counter: false });
    }

    fn bind_counter(&mut self, name: &str) {
        self.vars.push(Var { name: name.to_string(), kind: VarKind::I64, mutable: true, counter: true });
    }

    /// The variable a name refers to now (the latest binding).
    fn visible(&self) -> Vec<&Var> {
        let mut seen = std::collections::HashSet::new();
        self.vars.iter().rev().filter(|v| seen.insert(v.name.clone())).collect()
    }

    fn pick_var(&mut self, ok: impl Fn(&Var) -> bool) -> Option<Var> {
        let candidates: Vec<Var> = self.visible().into_iter().filter(|v| ok(v)).cloned().collect();
        if candidates.is_empty() { None } else { Some(self.rng.pick(&candidates).clone()) }
    }

    /// A type that an expression of the fn's return type has, for the generator.
    fn out_ty(&self) -> Option<Ty> {
        match self.ret {
            Ret::I64 => Some(Ty::I64),
            Ret::Bool => Some(Ty::Bool),
            Ret::Opt | Ret::Res => Some(Ty::Out),
            Ret::Unit => None,
        }
    }

    fn fallback(&self, ty: Ty) -> &'static str {
        match ty {
            Ty::I64 => "0i64",
            Ty::Bool => "false",
            Ty::Out if self.ret == Ret::Opt => "None",
            Ty::Out => "Ok(0i64)",
        }
    }

    fn lit(&mut self) -> String {
        if self.rng.chance(90) {
            int_literal(self.rng.range(-3, 12))
        } else {
            int_literal(*self.rng.pick(&[i64::MIN, i64::MAX, -1, 255, 1 << 40]))
        }
    }

    // ---- the fn ----

    /// The item of a group: `pub mod m { .. }` or `impl S { .. }` with every fn of `program`.
    /// Each body starts with a clean scope; `branching` sums over the bodies, which bounds the
    /// calls an invocation of any one of them makes.
    fn group(&mut self, program: &Program) -> Node {
        let open = match self.shape {
            Shape::Mod => "pub mod m {\n#[allow(unused_imports)]\nuse super::*;\n",
            _ => "impl S {\n",
        };
        let mut parts: Vec<Node> = vec![open.into()];
        for func in self.fns.clone() {
            self.ret = func.ret;
            self.vars.clear();
            self.targets.clear();
            (self.can_call, self.no_calls, self.guards, self.mult) = (false, false, 0, 1);
            parts.push(format!("{} ", program.signature_of(func)).into());
            parts.push(self.fn_body());
            parts.push("\n".into());
        }
        parts.push("}".into());
        Node::Seq(parts)
    }

    fn fn_body(&mut self) -> Node {
        for p in self.params.clone() {
            let kind = match p.kind {
                ParamKind::Int => VarKind::I64,
                ParamKind::Slice => VarKind::Slice,
                ParamKind::Acc => VarKind::Acc,
            };
            self.bind(p.name, kind, false);
        }
        let mut parts: Vec<Node> = vec!["{\n".into()];
        if self.rng.chance(65) {
            let base = match self.out_ty() {
                Some(ty) => {
                    self.no_calls = true;
                    let base = self.expr(ty, 2);
                    self.no_calls = false;
                    code!["return ", base, ";"]
                }
                None => "return;".into(),
            };
            parts.push(code!["if fuel == 0 { ", base, " }\n"]);
            self.can_call = true;
            self.guards = 1;
        }
        let depth = 3 + self.rng.below(2) as u32;
        let count = 2 + self.rng.below(5) as usize;
        parts.extend(self.stmts(depth, count));
        if let Some(ty) = self.out_ty() {
            let tail = self.expr(ty, depth);
            parts.push(tail);
        }
        parts.push("\n}".into());
        Node::Seq(parts)
    }

    // ---- statements ----

    fn stmts(&mut self, d: u32, count: usize) -> Vec<Node> {
        (0..count).map(|_| self.stmt(d)).collect()
    }

    /// A `{ .. }` block of statements (unit), in its own scope.
    fn unit_block(&mut self, d: u32) -> Node {
        self.scoped(|g| {
            let count = g.rng.below(u64::from(d.min(3)) + 1) as usize;
            let mut parts: Vec<Node> = vec!["{\n".into()];
            parts.extend(g.stmts(d, count));
            parts.push("}".into());
            Node::Seq(parts)
        })
    }

    /// A `{ ..; tail }` block of type `ty`, in its own scope.
    fn value_block(&mut self, ty: Ty, d: u32) -> Node {
        self.scoped(|g| {
            let count = g.rng.below(u64::from(d.min(2)) + 1) as usize;
            let mut parts: Vec<Node> = vec!["{\n".into()];
            parts.extend(g.stmts(d, count));
            parts.push(g.expr(ty, d));
            parts.push("\n}".into());
            Node::Seq(parts)
        })
    }

    fn stmt(&mut self, d: u32) -> Node {
        let has_targets = !self.targets.is_empty();
        let assignable = self.visible().iter().any(|v| v.mutable && !v.counter);
        let deeper = d > 0;
        let weights = [
            20,                                            // 0 let
            if deeper { 5 } else { 0 },                    // 1 let (tuple)
            if assignable { 12 } else { 0 },               // 2 assignment
            8,                                             // 3 log
            if deeper { 10 } else { 0 },                   // 4 if
            if deeper { 4 } else { 0 },                    // 5 match
            if deeper { 10 } else { 0 },                   // 6 loops
            if self.calls_ok() { 6 } else { 0 },           // 7 call statement
            3,                                             // 8 return
            if has_targets { 7 } else { 0 },               // 9 break / continue
            if deeper { 3 } else { 0 },                    // 10 let .. else
            if deeper && !self.can_call { 12 } else { 0 }, // 11 if fuel > 0 { .. }
            if deeper { 2 } else { 0 },                    // 12 labeled block
            if deeper { 1 } else { 0 },                    // 13 nested block
            if self.features.drops { 5 } else { 0 },       // 14 a logging Drop value
            if self.features.panics { 2 } else { 0 },      // 15 a panic
            if self.has_acc() { 8 } else { 0 },            // 16 push onto a Vec
            if self.has_acc() { 4 } else { 0 },            // 17 a local Vec
            if self.has_acc() { 2 } else { 0 },            // 18 append a local Vec to acc
            if self.assigns_self() { 10 } else { 0 },      // 19 self.k = ..
        ];
        let sd = d.saturating_sub(1);
        let node = match self.rng.weighted(&weights) {
            0 => self.let_stmt(sd),
            1 => self.let_tuple(sd),
            2 => self.assign(sd),
            3 => self.log_stmt(sd),
            4 => self.if_stmt(sd),
            5 => {
                let m = self.match_expr(None, sd);
                code![m, "\n"]
            }
            6 => self.loop_stmt(sd),
            7 => self.call_stmt(sd),
            8 => self.return_stmt(sd),
            9 => self.jump_stmt(sd),
            10 => self.let_else(sd),
            11 => {
                let cond = self.fuel_guard_cond();
                let body = self.scoped(|g| {
                    g.can_call = true;
                    g.guards += 1;
                    let count = g.rng.below(u64::from(sd.min(3)) + 1) as usize;
                    let call = g.call_stmt(sd);
                    let mut parts: Vec<Node> = vec!["{\n".into(), Node::hole(Kind::Stmt, g.guards, "", call)];
                    parts.extend(g.stmts(sd, count));
                    parts.push("}".into());
                    Node::Seq(parts)
                });
                code!["if ", cond, " ", body, "\n"]
            }
            12 => {
                let label = self.fresh("'b");
                let body = self.scoped(|g| {
                    g.targets.push(Target { label: Some(label.clone()), is_loop: false, value: None });
                    g.unit_block(sd)
                });
                code![label, ": ", body, "\n"]
            }
            13 => {
                let b = self.unit_block(sd);
                code![b, "\n"]
            }
            14 => self.drop_stmt(),
            15 => self.panic_stmt(sd),
            16 => self.push_stmt(sd),
            17 => {
                let name = self.fresh("w");
                self.bind(&name, VarKind::Vec, false);
                code!["let mut ", name, ": Vec<i64> = Vec::new();\n"]
            }
            18 => match self.pick_var(|v| v.kind == VarKind::Vec) {
                Some(v) => code![format!("acc.append(&mut {});\n", v.name)],
                None => self.push_stmt(sd),
            },
            _ => {
                let value = self.expr(Ty::I64, sd);
                code!["self.k = ", value, ";\n"]
            }
        };
        Node::hole(Kind::Stmt, self.guards, "", node)
    }

    /// A `&mut self` method, outside the arguments of a call (where `self` is borrowed).
    fn assigns_self(&self) -> bool {
        self.shape == Shape::Impl(Receiver::Mut) && !self.no_calls
    }

    /// The fn has the `acc` parameter.
    fn has_acc(&self) -> bool {
        self.params.iter().any(|p| p.kind == ParamKind::Acc)
    }

    /// `let v = e; acc.push(v);` or the same onto a local `Vec`: `e` first, since a call
    /// taking `acc` inside `acc.push(..)` would not borrow-check natively.
    fn push_stmt(&mut self, d: u32) -> Node {
        let target = self.pick_var(|v| matches!(v.kind, VarKind::Acc | VarKind::Vec)).map(|v| v.name);
        let target = target.unwrap_or_else(|| "acc".to_string());
        let value = self.expr(Ty::I64, d);
        let name = self.fresh("v");
        code![format!("let {name} = "), value, format!(";\n{target}.push({name});\n")]
    }

    /// A statement with a call: `f(..);` or `let v = <from a call>;`.
    fn call_stmt(&mut self, d: u32) -> Node {
        let callee = self.pick_callee(false);
        if callee.ret == Ret::Unit || self.rng.chance(30) {
            let call = self.call(callee, d);
            code![call, ";\n"]
        } else {
            let value = self.int_from_call_to(callee, d);
            let name = self.fresh("v");
            let mutable = self.rng.chance(40);
            self.bind(&name, VarKind::I64, mutable);
            code!["let ", if mutable { "mut " } else { "" }, name, " = ", value, ";\n"]
        }
    }

    fn let_stmt(&mut self, d: u32) -> Node {
        let ty = if self.rng.chance(75) { Ty::I64 } else { Ty::Bool };
        let value = self.expr(ty, d);
        let shadow = self.rng.chance(30) && self.features.shadow;
        let name = match self
            .pick_var(|v| !v.counter && matches!(v.kind, VarKind::I64 | VarKind::Bool | VarKind::Ref))
        {
            Some(v) if shadow => v.name,
            _ => self.fresh("v"),
        };
        let mutable = self.rng.chance(40);
        let kind = if ty == Ty::I64 { VarKind::I64 } else { VarKind::Bool };
        self.bind(&name, kind, mutable);
        code!["let ", if mutable { "mut " } else { "" }, name, " = ", value, ";\n"]
    }

    /// `let (v1, (mut v2, _)) = (e, (e, e));`
    fn let_tuple(&mut self, d: u32) -> Node {
        let mut binds = Vec::new();
        let (pattern, value) = self.tuple_parts(d, 2, &mut binds);
        for (name, kind, mutable) in binds {
            self.bind(&name, kind, mutable);
        }
        code!["let ", pattern, " = ", value, ";\n"]
    }

    fn tuple_parts(&mut self, d: u32, nest: u32, binds: &mut Vec<(String, VarKind, bool)>) -> (String, Node) {
        let n = 2 + self.rng.below(2) as usize;
        let mut pats = Vec::new();
        let mut vals: Vec<Node> = vec!["(".into()];
        for i in 0..n {
            if i > 0 {
                vals.push(", ".into());
            }
            if nest > 0 && self.rng.chance(20) {
                let (p, v) = self.tuple_parts(d, nest - 1, binds);
                pats.push(p);
                vals.push(v);
                continue;
            }
            let ty = if self.rng.chance(80) { Ty::I64 } else { Ty::Bool };
            vals.push(self.expr(ty, d));
            if self.rng.chance(15) {
                pats.push("_".to_string());
            } else {
                let name = self.fresh("v");
                let mutable = self.rng.chance(30);
                pats.push(format!("{}{name}", if mutable { "mut " } else { "" }));
                binds.push((name, if ty == Ty::I64 { VarKind::I64 } else { VarKind::Bool }, mutable));
            }
        }
        vals.push(")".into());
        (format!("({})", pats.join(", ")), Node::Seq(vals))
    }

    fn assign(&mut self, d: u32) -> Node {
        let var = self.pick_var(|v| v.mutable && !v.counter).expect("an assignable variable");
        let name = var.name.clone();
        if var.kind == VarKind::Bool {
            let value = self.expr(Ty::Bool, d);
            let op = *self.rng.pick(&["=", "|=", "&=", "^="]);
            return code![name, " ", op, " ", value, ";\n"];
        }
        let value = self.expr(Ty::I64, d);
        match self.rng.below(6) {
            0 => code![name.clone(), " = (", name, ").wrapping_add(", value, ");\n"],
            1 => code![name.clone(), " = (", name, ").wrapping_mul(", value, ");\n"],
            2 => code![name, " ^= ", value, ";\n"],
            3 => code![name, " |= ", value, ";\n"],
            4 => code![name, " &= ", value, ";\n"],
            _ => code![name, " = ", value, ";\n"],
        }
    }

    fn log_stmt(&mut self, d: u32) -> Node {
        let tag = self.tag();
        if self.rng.chance(50) {
            code![format!("log({tag});\n")]
        } else {
            let value = self.expr(Ty::I64, d);
            code![format!("logv({tag}, "), value, ");\n"]
        }
    }

    fn if_stmt(&mut self, d: u32) -> Node {
        let cond = self.cond(d);
        let then = self.unit_block(d);
        let mut parts = vec![code!["if ", cond, " ", then]];
        if self.rng.chance(30) {
            let cond = self.cond(d);
            let block = self.unit_block(d);
            parts.push(code![" else if ", cond, " ", block]);
        }
        if self.rng.chance(50) {
            let block = self.unit_block(d);
            parts.push(code![" else ", block]);
        }
        parts.push("\n".into());
        Node::Seq(parts)
    }

    /// A loop statement: `while`, `loop` (both with a counter), `for` over a range, an array or
    /// a slice.
    fn loop_stmt(&mut self, d: u32) -> Node {
        let label = if self.rng.chance(40) { Some(self.fresh("'l")) } else { None };
        let label_text = label.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
        let target = Target { label: label.clone(), is_loop: true, value: None };
        let k = 1 + self.rng.below(3);
        match self.rng.below(6) {
            0 => {
                // while
                let i = self.fresh("i");
                let extra = if self.rng.chance(50) {
                    let cond = self.scoped(|g| {
                        g.bind_counter(&i);
                        // An unlabeled `break` in a `while` condition is an error (E0590).
                        g.targets.push(Target { label: None, is_loop: false, value: None });
                        g.mult *= k + 1;
                        g.expr(Ty::Bool, d)
                    });
                    code![" && ", paren(cond)]
                } else {
                    code![]
                };
                let body = self.loop_body(&i, k, target, d, None);
                self.bind_counter(&i);
                code![format!("let mut {i} = 0i64;\n{label_text}while {i} < {k}"), extra, " ", body, "\n"]
            }
            1 => {
                // loop
                let i = self.fresh("i");
                let body = self.loop_body(&i, k, target, d, Some(code!["break;"]));
                self.bind_counter(&i);
                code![format!("let mut {i} = 0i64;\n{label_text}loop "), body, "\n"]
            }
            2 => {
                // for over a range
                let m = self.fresh("m");
                let range: Node = match self.rng.below(4) {
                    0 => format!("0..{k}i64").into(),
                    1 => format!("(0..{k}i64).rev()").into(),
                    2 => format!("(0..{}i64).step_by(2)", 2 * k).into(),
                    _ => {
                        let lo = self.expr(Ty::I64, d);
                        code![paren(lo), format!(".rem_euclid(3)..{k}")]
                    }
                };
                let body = self.for_body(vec![(m.clone(), VarKind::I64)], k, target, d);
                code![format!("{label_text}for {m} in "), range, " ", body, "\n"]
            }
            3 => {
                // for over an array
                let m = self.fresh("m");
                let mut items: Vec<Node> = vec!["[".into()];
                for j in 0..k {
                    if j > 0 {
                        items.push(", ".into());
                    }
                    items.push(self.expr(Ty::I64, d));
                }
                items.push("]".into());
                let body = self.for_body(vec![(m.clone(), VarKind::I64)], k, target, d);
                code![format!("{label_text}for {m} in "), Node::Seq(items), " ", body, "\n"]
            }
            _ => {
                // for over a slice
                let Some(s) = self.slice_expr() else {
                    return self.log_stmt(d);
                };
                let m = self.fresh("m");
                let (pattern, iter, binds) = match self.rng.below(6) {
                    0 => (m.clone(), format!("({s}).iter().copied()"), vec![(m, VarKind::I64)]),
                    1 => (format!("&{m}"), format!("({s}).iter()"), vec![(m, VarKind::I64)]),
                    2 => (m.clone(), format!("({s}).iter()"), vec![(m, VarKind::Ref)]),
                    3 => (m.clone(), s.clone(), vec![(m, VarKind::Ref)]),
                    4 => (m.clone(), format!("({s}).iter().rev().skip(1)"), vec![(m, VarKind::Ref)]),
                    _ => {
                        let t = self.slice_expr().unwrap_or_else(|| s.clone());
                        let n = self.fresh("m");
                        (
                            format!("({m}, {n})"),
                            format!("({s}).iter().zip(({t}).iter())"),
                            vec![(m, VarKind::Ref), (n, VarKind::Ref)],
                        )
                    }
                };
                let body = self.for_body(binds, MAX_SLICE as u64, target, d);
                code![format!("{label_text}for {pattern} in {iter} "), body, "\n"]
            }
        }
    }

    /// The body of a counted loop: `{ i += 1; [if i > k { exit }] stmts }`.
    fn loop_body(&mut self, i: &str, k: u64, target: Target, d: u32, exit: Option<Node>) -> Node {
        self.scoped(|g| {
            g.bind_counter(i);
            g.targets.push(target);
            g.mult *= k;
            let mut parts: Vec<Node> = vec![format!("{{\n{i} += 1;\n").into()];
            if let Some(exit) = exit {
                parts.push(code![format!("if {i} > {k} {{ "), exit, " }\n"]);
            }
            let count = g.rng.below(u64::from(d.min(3)) + 1) as usize;
            parts.extend(g.stmts(d, count));
            parts.push("}".into());
            Node::Seq(parts)
        })
    }

    fn for_body(&mut self, binds: Vec<(String, VarKind)>, k: u64, target: Target, d: u32) -> Node {
        self.scoped(|g| {
            for (name, kind) in binds {
                g.bind(&name, kind, false);
            }
            g.targets.push(target);
            g.mult *= k;
            let count = g.rng.below(u64::from(d.min(3)) + 1) as usize;
            let mut parts: Vec<Node> = vec!["{\n".into()];
            parts.extend(g.stmts(d, count));
            parts.push("}".into());
            Node::Seq(parts)
        })
    }

    fn return_stmt(&mut self, d: u32) -> Node {
        let ret = match self.out_ty() {
            Some(ty) => {
                let value = self.expr(ty, d);
                code!["return ", value, ";"]
            }
            None => code!["return;"],
        };
        self.maybe_conditional(ret, d)
    }

    /// `stmt` or, usually, `if cond { stmt }`.
    fn maybe_conditional(&mut self, stmt: Node, d: u32) -> Node {
        if self.rng.chance(95) {
            let cond = self.cond(d);
            code!["if ", cond, " { ", stmt, " }\n"]
        } else {
            code![stmt, "\n"]
        }
    }

    fn jump_stmt(&mut self, d: u32) -> Node {
        // Unlabeled `break`/`continue` go to the innermost target, which must be a loop.
        let mut options: Vec<(Option<String>, bool, Option<Ty>)> = Vec::new();
        if let Some(t) = self.targets.last() {
            if t.is_loop {
                options.push((None, true, t.value));
            }
        }
        for t in &self.targets {
            if let Some(label) = &t.label {
                options.push((Some(label.clone()), t.is_loop, t.value));
            }
        }
        if options.is_empty() {
            return self.log_stmt(d);
        }
        let (label, is_loop, value) = self.rng.pick(&options).clone();
        let label = label.map(|l| format!(" {l}")).unwrap_or_default();
        let jump = if is_loop && self.rng.chance(35) {
            code![format!("continue{label};")]
        } else {
            match value {
                Some(ty) => {
                    let v = self.expr(ty, d);
                    code![format!("break{label} "), break_value(v), ";"]
                }
                None => code![format!("break{label};")],
            }
        };
        self.maybe_conditional(jump, d)
    }

    /// `let Some(m) = opt else { return ..; };`
    fn let_else(&mut self, d: u32) -> Node {
        let (pattern, scrutinee) = if self.ret == Ret::Res && self.rng.chance(50) {
            ("Ok", self.typed_out(d))
        } else {
            ("Some", self.option(d))
        };
        let m = self.fresh("m");
        let otherwise = self.scoped(|g| {
            g.no_calls = true;
            match g.out_ty() {
                Some(ty) => {
                    let v = g.expr(ty, 1);
                    code!["return ", v, ";"]
                }
                None => code!["return;"],
            }
        });
        self.bind(&m, VarKind::I64, false);
        code![format!("let {pattern}({m}) = "), paren(scrutinee), " else { ", otherwise, " };\n"]
    }

    /// `let d1 = Noisy::new(tag);`: a value whose drop is logged.
    fn drop_stmt(&mut self) -> Node {
        let name = self.fresh("d");
        let tag = self.tag();
        code![format!("let {name} = Noisy::new({tag});\n")]
    }

    /// `if cond { boom(tag); }`
    fn panic_stmt(&mut self, d: u32) -> Node {
        let tag = self.tag();
        let cond = self.cond(d);
        code!["if ", cond, format!(" {{ boom({tag}); }}\n")]
    }

    // ---- expressions ----

    fn expr(&mut self, ty: Ty, d: u32) -> Node {
        let node = match ty {
            Ty::I64 => self.int(d),
            Ty::Bool => self.boolean(d),
            Ty::Out => self.out(d),
        };
        let fallback = self.fallback(ty);
        Node::hole(Kind::Expr(ty), self.guards, fallback, node)
    }

    /// A condition: usually a boolean expression, sometimes a fuel guard when calls are not
    /// allowed yet (the guard does not extend into the block: callers guard blocks explicitly).
    fn cond(&mut self, d: u32) -> Node {
        paren(self.expr(Ty::Bool, d))
    }

    fn fuel_guard_cond(&mut self) -> Node {
        (*self.rng.pick(&["fuel > 0", "fuel != 0", "fuel >= 1", "0 < fuel"])).into()
    }

    fn int(&mut self, d: u32) -> Node {
        if d == 0 {
            return self.int_leaf();
        }
        let weights = [
            20,                                                          // 0 leaf
            28,                                                          // 1 arithmetic
            if self.calls_ok() { 20 } else { 0 },                        // 2 from a call
            14,                                                          // 3 compound
            if matches!(self.ret, Ret::Opt | Ret::Res) { 5 } else { 0 }, // 4 `?`
            3,                                                           // 5 bool as i64
            4,                                                           // 6 slice element
        ];
        let d1 = d - 1;
        match self.rng.weighted(&weights) {
            0 => self.int_leaf(),
            1 => self.arith(d1),
            2 => self.int_from_call(d1),
            3 => self.compound(Ty::I64, d),
            4 => {
                let v = self.typed_out(d1);
                code![v, "?"]
            }
            5 => {
                let b = self.expr(Ty::Bool, d1);
                code!["(", paren(b), " as i64)"]
            }
            _ => self.slice_element(d1),
        }
    }

    fn int_leaf(&mut self) -> Node {
        match self.rng.below(10) {
            0..=2 => self.lit().into(),
            3..=7 => match self.pick_var(|v| matches!(v.kind, VarKind::I64 | VarKind::Ref)) {
                Some(v) if v.kind == VarKind::Ref => format!("(*{})", v.name).into(),
                Some(v) => v.name.into(),
                None => self.lit().into(),
            },
            8 if matches!(self.shape, Shape::Impl(_)) && self.rng.chance(70) => "self.k".into(),
            8 => "(fuel as i64)".into(),
            _ => match self.pick_var(|v| matches!(v.kind, VarKind::Slice | VarKind::Acc | VarKind::Vec)) {
                Some(v) => format!("({}.len() as i64)", v.name).into(),
                None => self.lit().into(),
            },
        }
    }

    fn arith(&mut self, d: u32) -> Node {
        let l = self.expr(Ty::I64, d);
        match self.rng.below(12) {
            0..=6 => {
                let r = self.expr(Ty::I64, d);
                match self.rng.below(7) {
                    0 => code![paren(l), ".wrapping_add(", r, ")"],
                    1 => code![paren(l), ".wrapping_sub(", r, ")"],
                    2 => code![paren(l), ".wrapping_mul(", r, ")"],
                    3 => code![paren(l), ".min(", r, ")"],
                    4 => code![paren(l), ".max(", r, ")"],
                    5 => code!["(", paren(l), " ^ ", paren(r), ")"],
                    _ => code!["(", paren(l), if self.rng.chance(50) { " & " } else { " | " }, paren(r), ")"],
                }
            }
            7 | 8 => code![paren(l), format!(".rem_euclid({})", 2 + self.rng.below(6))],
            9 => code!["(", paren(l), format!(" >> {})", 1 + self.rng.below(8))],
            10 => code![paren(l), ".wrapping_neg()"],
            _ => code![paren(l), ".wrapping_abs()"],
        }
    }

    fn slice_element(&mut self, d: u32) -> Node {
        let Some(s) = self.pick_var(|v| v.kind == VarKind::Slice) else {
            return self.int_leaf();
        };
        let s = s.name;
        match self.rng.below(4) {
            0 => {
                let i = self.expr(Ty::I64, d);
                let l = self.lit();
                code![
                    format!("{s}.get("),
                    paren(i),
                    format!(".rem_euclid(6) as usize).copied().unwrap_or({l})")
                ]
            }
            1 => format!("{s}.first().copied().unwrap_or({})", self.lit()).into(),
            2 => format!("{s}.last().copied().unwrap_or({})", self.lit()).into(),
            _ => format!("{s}.iter().fold(0i64, |sum, x| sum.wrapping_mul(3).wrapping_add(*x))").into(),
        }
    }

    /// The fn a call goes to: any fn of the group, or (`same_ret`) one with the caller's return
    /// type, for a call that is a value of that type. A lone fn calls itself without a choice.
    fn pick_callee(&mut self, same_ret: bool) -> Func {
        let ret = self.ret;
        let candidates: Vec<Func> = self.fns.iter().copied().filter(|f| !same_ret || f.ret == ret).collect();
        if candidates.len() == 1 { candidates[0] } else { *self.rng.pick(&candidates) }
    }

    /// A recursive call of `callee`: `f(fuel - 1, args..)`, of the callee's return type. In a
    /// `mod` also `self::h(..)`, `super::m::h(..)`; in an `impl` `self.h(..)`, `Self::h(self, ..)`,
    /// `S::h(self, ..)` and, with a `self` receiver, `S { k: .. }.h(..)`.
    fn call(&mut self, callee: Func, d: u32) -> Node {
        self.branching += self.mult;
        let fuel =
            *self.rng.pick(&["fuel - 1", "fuel - 1", "fuel - 1", "fuel / 2", "fuel.saturating_sub(2)"]);
        let name = callee.name;
        let head: Node = match self.shape {
            Shape::Fn => format!("{name}({fuel}").into(),
            Shape::Mod => match self.rng.below(4) {
                0 => format!("self::{name}({fuel}").into(),
                1 => format!("super::m::{name}({fuel}").into(),
                _ => format!("{name}({fuel}").into(),
            },
            Shape::Impl(receiver) => match self.rng.below(if receiver == Receiver::Value { 5 } else { 4 }) {
                0 => format!("Self::{name}(self, {fuel}").into(),
                1 => format!("S::{name}(self, {fuel}").into(),
                4 => {
                    // In parentheses: a struct literal cannot start a condition or a scrutinee.
                    let k = self.expr(Ty::I64, d);
                    code!["(S { k: ", k, format!(" }}.{name}({fuel}")]
                }
                _ => format!("self.{name}({fuel}").into(),
            },
        };
        let mut parts: Vec<Node> = vec![head];
        // `&mut self` is borrowed for the call from before its arguments run (two-phase): they
        // may read `self.k` but neither call nor assign `self.k` (E0499, E0506 natively).
        let no_calls = self.no_calls;
        self.no_calls |= self.shape == Shape::Impl(Receiver::Mut);
        for p in self.params.clone() {
            parts.push(", ".into());
            match p.kind {
                ParamKind::Int => parts.push(self.expr(Ty::I64, d)),
                ParamKind::Acc => {
                    // The caller's `acc`, or a local `Vec` pinned in the caller's frame.
                    let local = self.pick_var(|v| v.kind == VarKind::Vec).filter(|_| self.rng.chance(40));
                    parts.push(match local {
                        Some(v) => format!("&mut {}", v.name).into(),
                        None => "acc".into(),
                    });
                }
                ParamKind::Slice => {
                    // Rarely: a slice in another parameter's place is a documented #[fiber] limit unless
                    // the two share a lifetime, so most programs get past it. In a `#[fiber] mod`
                    // or `impl` it is the limit only where a parameter receives two of the entry's
                    // slices (`traded.rs`); elsewhere, the program must run as natively.
                    let s =
                        if self.features.swap_refs && self.rng.chance(10) { self.slice_expr() } else { None };
                    let s = s.unwrap_or_else(|| self.slice_of(p.name));
                    parts.push(s.into());
                }
            }
        }
        self.no_calls = no_calls;
        parts.push(")".into());
        if parts[0].text().starts_with("(S {") {
            parts.push(")".into());
        }
        Node::Seq(parts)
    }

    /// An `i64` computed from a call, whatever the callee's return type.
    fn int_from_call(&mut self, d: u32) -> Node {
        let callee = self.pick_callee(false);
        self.int_from_call_to(callee, d)
    }

    /// An `i64` computed from a call of `callee`: `?` only where its return type is the
    /// caller's.
    fn int_from_call_to(&mut self, callee: Func, d: u32) -> Node {
        let call = self.call(callee, d);
        let same = callee.ret == self.ret;
        match callee.ret {
            Ret::I64 => call,
            Ret::Opt => match self.rng.below(4) {
                0 if same => code![call, "?"],
                0 | 1 => code![call, format!(".unwrap_or({})", self.lit())],
                _ => self.match_option(call, "Some", "None", Ty::I64, d),
            },
            Ret::Res => match self.rng.below(5) {
                0 if same => code![call, "?"],
                0 | 1 => code![call, format!(".unwrap_or({})", self.lit())],
                2 => code![call, ".unwrap_or_else(|e| e)"],
                _ => self.match_option(call, "Ok", "Err", Ty::I64, d),
            },
            Ret::Bool => {
                if self.rng.chance(40) {
                    code!["(", call, " as i64)"]
                } else {
                    let then = self.value_block(Ty::I64, d);
                    let other = self.value_block(Ty::I64, d);
                    code!["if ", call, " ", then, " else ", other]
                }
            }
            Ret::Unit => {
                let v = self.expr(Ty::I64, d);
                code!["{ ", call, "; ", v, " }"]
            }
        }
    }

    /// `match scrutinee { Some(m) => .., None => .. }` (or `Ok(m)`/`Err(m)`).
    fn match_option(&mut self, scrutinee: Node, yes: &str, no: &str, ty: Ty, d: u32) -> Node {
        let m = self.fresh("m");
        let some = self.scoped(|g| {
            g.bind(&m, VarKind::I64, false);
            g.expr(ty, d)
        });
        let none_pat = if no == "None" { "None".to_string() } else { format!("{no}({m})") };
        let none = self.scoped(|g| {
            if no != "None" {
                g.bind(&m, VarKind::I64, false);
            }
            g.expr(ty, d)
        });
        code![
            "match ",
            scrutinee,
            format!(" {{\n{yes}({m}) => "),
            some,
            format!(",\n{none_pat} => "),
            none,
            ",\n}"
        ]
    }

    fn boolean(&mut self, d: u32) -> Node {
        if d == 0 {
            return self.bool_leaf();
        }
        let d1 = d - 1;
        let weights = [15, 30, 8, 12, if self.calls_ok() { 12 } else { 0 }, 10];
        match self.rng.weighted(&weights) {
            0 => self.bool_leaf(),
            1 => {
                let l = self.expr(Ty::I64, d1);
                let r = self.expr(Ty::I64, d1);
                let op = *self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                code!["(", paren(l), format!(" {op} "), paren(r), ")"]
            }
            2 => {
                let b = self.expr(Ty::Bool, d1);
                code!["!", paren(b)]
            }
            3 => {
                let l = self.expr(Ty::Bool, d1);
                let r = self.expr(Ty::Bool, d1);
                code!["(", paren(l), if self.rng.chance(50) { " && " } else { " || " }, paren(r), ")"]
            }
            4 => {
                let callee = self.pick_callee(false);
                let call = self.call(callee, d1);
                match callee.ret {
                    Ret::Bool => call,
                    Ret::Opt => code![call, if self.rng.chance(70) { ".is_some()" } else { ".is_none()" }],
                    Ret::Res => code![call, if self.rng.chance(70) { ".is_ok()" } else { ".is_err()" }],
                    Ret::I64 => {
                        let r = self.int_leaf();
                        code!["(", call, " > ", r, ")"]
                    }
                    Ret::Unit => {
                        let b = self.bool_leaf();
                        code!["{ ", call, "; ", b, " }"]
                    }
                }
            }
            _ => self.compound(Ty::Bool, d),
        }
    }

    fn bool_leaf(&mut self) -> Node {
        match self.rng.below(6) {
            0 => (*self.rng.pick(&["true", "false"])).into(),
            1 => match self.pick_var(|v| v.kind == VarKind::Bool) {
                Some(v) => v.name.into(),
                None => "true".into(),
            },
            2 => match self.pick_var(|v| v.kind == VarKind::Slice) {
                Some(v) => format!("{}.is_empty()", v.name).into(),
                None => "false".into(),
            },
            _ => {
                let l = self.int_leaf();
                let r = self.int_leaf();
                let op = *self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                code!["(", l, format!(" {op} "), r, ")"]
            }
        }
    }

    /// An expression of the fn's return type `Option<i64>` or `Result<i64, i64>`.
    fn out(&mut self, d: u32) -> Node {
        let opt = self.ret == Ret::Opt;
        if d == 0 {
            let v = self.int_leaf();
            return match (opt, self.rng.below(3)) {
                (true, 0) => "None".into(),
                (true, _) => code!["Some(", v, ")"],
                (false, 0) => code!["Err(", v, ")"],
                (false, _) => code!["Ok(", v, ")"],
            };
        }
        let weights = [30, if self.calls_ok() { 25 } else { 0 }, 12, 20];
        match self.rng.weighted(&weights) {
            0 => {
                let v = self.expr(Ty::I64, d - 1);
                match (opt, self.rng.below(4)) {
                    (true, 0) => "None".into(),
                    (true, _) => code!["Some(", v, ")"],
                    (false, 0) => code!["Err(", v, ")"],
                    (false, _) => code!["Ok(", v, ")"],
                }
            }
            1 => {
                let callee = self.pick_callee(true);
                self.call(callee, d - 1)
            }
            2 if opt => self.option(d - 1),
            2 => {
                let v = self.expr(Ty::I64, d - 1);
                code![paren(v), ".checked_mul(3).ok_or(-1i64)"]
            }
            _ => self.compound(Ty::Out, d),
        }
    }

    /// An expression of the return type where nothing else fixes its type (`?`, `if let`):
    /// a call, or any expression passed through the identity fn `opt` or `res`.
    fn typed_out(&mut self, d: u32) -> Node {
        if self.calls_ok() && self.rng.chance(50) {
            let callee = self.pick_callee(true);
            return self.call(callee, d);
        }
        let v = self.expr(Ty::Out, d);
        let wrap = if self.ret == Ret::Opt { "opt(" } else { "res(" };
        code![wrap, v, ")"]
    }

    /// An `Option<i64>` that is not a call: `a.checked_add(b)`, `xs.first().copied()`, ..
    fn option(&mut self, d: u32) -> Node {
        if self.ret == Ret::Opt && self.rng.chance(40) {
            return self.typed_out(d);
        }
        match self.pick_var(|v| v.kind == VarKind::Slice) {
            Some(s) if self.rng.chance(50) => {
                let i = self.expr(Ty::I64, d);
                code![format!("{}.get(", s.name), paren(i), ".rem_euclid(7) as usize).copied()"]
            }
            _ => {
                let l = self.expr(Ty::I64, d);
                let r = self.expr(Ty::I64, d);
                let op = *self.rng.pick(&["checked_add", "checked_mul", "checked_sub", "checked_div"]);
                code![paren(l), format!(".{op}("), r, ")"]
            }
        }
    }

    /// A form that has a value of any type: `if`, `match`, a block, a logged value, a `loop`
    /// with `break value`, a labeled block, `if let`.
    fn compound(&mut self, ty: Ty, d: u32) -> Node {
        let d1 = d.saturating_sub(1);
        match self.rng.below(9) {
            0 | 1 => self.if_value(ty, d1),
            2 => self.match_expr(Some(ty), d1),
            3 => self.value_block(ty, d1),
            4 | 5 => {
                let tag = self.tag();
                let v = self.expr(ty, d1);
                if ty == Ty::I64 && self.rng.chance(50) {
                    code![format!("logv({tag}, "), v, ")"]
                } else {
                    code![format!("{{ log({tag}); "), v, " }"]
                }
            }
            6 => self.value_loop(ty, d1),
            7 => {
                let label = self.fresh("'b");
                let block = self.scoped(|g| {
                    g.targets.push(Target { label: Some(label.clone()), is_loop: false, value: Some(ty) });
                    g.value_block(ty, d1)
                });
                code![label, ": ", block]
            }
            _ => {
                let (pattern, scrutinee) = if self.ret == Ret::Res && self.rng.chance(50) {
                    ("Ok", self.typed_out(d1))
                } else {
                    ("Some", self.option(d1))
                };
                let m = self.fresh("m");
                let then = self.scoped(|g| {
                    g.bind(&m, VarKind::I64, false);
                    g.value_block(ty, d1)
                });
                let other = self.value_block(ty, d1);
                code![format!("if let {pattern}({m}) = "), paren(scrutinee), " ", then, " else ", other]
            }
        }
    }

    fn if_value(&mut self, ty: Ty, d: u32) -> Node {
        if !self.can_call && self.rng.chance(40) {
            let cond = self.fuel_guard_cond();
            let then = self.scoped(|g| {
                g.can_call = true;
                g.guards += 1;
                g.value_block(ty, d)
            });
            let other = self.value_block(ty, d);
            return code!["if ", cond, " ", then, " else ", other];
        }
        let cond = self.cond(d);
        let then = self.value_block(ty, d);
        let mut parts = vec![code!["if ", cond, " ", then]];
        if self.rng.chance(25) {
            let cond = self.cond(d);
            let block = self.value_block(ty, d);
            parts.push(code![" else if ", cond, " ", block]);
        }
        let other = self.value_block(ty, d);
        parts.push(code![" else ", other]);
        Node::Seq(parts)
    }

    /// `{ let mut i = 0; 'l: loop { i += 1; if i > k { break value; } .. } }`
    fn value_loop(&mut self, ty: Ty, d: u32) -> Node {
        let label = if self.rng.chance(50) { Some(self.fresh("'l")) } else { None };
        let label_text = label.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
        let i = self.fresh("i");
        let k = 1 + self.rng.below(3);
        let exit = self.scoped(|g| {
            g.bind_counter(&i);
            // A `continue` of this loop in its exit value would run the exit again, forever:
            // the value may only jump to enclosing loops and blocks, by label.
            g.targets.push(Target { label: None, is_loop: false, value: None });
            let v = g.expr(ty, d);
            code!["break ", break_value(v), ";"]
        });
        let target = Target { label, is_loop: true, value: Some(ty) };
        let body = self.loop_body(&i, k, target, d, Some(exit));
        code![format!("{{\nlet mut {i} = 0i64;\n{label_text}loop "), body, "\n}"]
    }

    /// `match` as a statement (`ty` is `None`: unit arms) or as a value.
    fn match_expr(&mut self, ty: Option<Ty>, d: u32) -> Node {
        let tuple = self.rng.chance(25);
        let scrutinee = if tuple {
            let l = self.expr(Ty::I64, d);
            let r = self.expr(Ty::I64, d);
            code!["(", l, ", ", r, ")"]
        } else {
            paren(self.expr(Ty::I64, d))
        };
        let mut parts = vec![code!["match ", scrutinee, " {\n"]];
        let arms = 1 + self.rng.below(3);
        for j in 0..=arms {
            let last = j == arms;
            let arm = self.scoped(|g| {
                let pattern = if tuple {
                    let l = g.int_pattern(last);
                    let r = g.int_pattern(last);
                    format!("({l}, {r})")
                } else {
                    g.int_pattern(last)
                };
                let guard = if !last && g.rng.chance(30) { g.guard() } else { code![] };
                let body = match ty {
                    Some(ty) if g.rng.chance(60) => {
                        let v = g.expr(ty, d);
                        code![v, ","]
                    }
                    Some(ty) => g.value_block(ty, d),
                    None => g.unit_block(d),
                };
                code![pattern, guard, " => ", body, "\n"]
            });
            parts.push(arm);
        }
        parts.push("}".into());
        Node::Seq(parts)
    }

    /// A pattern for an `i64`; binds its name in the current scope. `last`: irrefutable.
    fn int_pattern(&mut self, last: bool) -> String {
        if last {
            if self.rng.chance(50) {
                return "_".to_string();
            }
            let m = self.fresh("m");
            self.bind(&m, VarKind::I64, false);
            return m;
        }
        let a = self.rng.range(-4, 8);
        let b = a + self.rng.range(1, 5);
        match self.rng.below(8) {
            0 | 1 => a.to_string(),
            2 => format!("{a}..={b}"),
            3 => format!("{a}..{b}"),
            4 => format!("{a} | {b}"),
            5 => "i64::MIN..=-1".to_string(),
            6 => {
                let m = self.fresh("m");
                self.bind(&m, VarKind::I64, false);
                format!("{m} @ {a}..={b}")
            }
            _ => {
                let m = self.fresh("m");
                self.bind(&m, VarKind::I64, false);
                m
            }
        }
    }

    /// ` if cond`: a match guard, without recursive calls.
    fn guard(&mut self) -> Node {
        let saved = self.no_calls;
        self.no_calls = true;
        let cond = self.expr(Ty::Bool, 1);
        self.no_calls = saved;
        code![" if ", cond]
    }

    /// A slice: an argument, or a subslice of one.
    fn slice_expr(&mut self) -> Option<String> {
        let s = self.pick_var(|v| v.kind == VarKind::Slice)?.name;
        Some(self.slice_of(&s))
    }

    /// The slice `s` or a subslice of it.
    fn slice_of(&mut self, s: &str) -> String {
        let s = s.to_string();
        match self.rng.below(6) {
            0 | 1 => s,
            2 => format!("&{s}[{s}.len().min(1)..]"),
            3 => format!("&{s}[{s}.len().min(2)..]"),
            4 => format!("&{s}[..{s}.len() / 2]"),
            _ => format!("&{s}[..{s}.len().saturating_sub(1)]"),
        }
    }
}
