//! `cargo xtask module-cycles`: fails when a module of any workspace crate imports another
//! module that imports it back, directly or through others.
//!
//! For every library and binary target of every workspace package (from `cargo metadata`),
//! it walks the module tree from the target's root file (`mod x;` to `x.rs` or `x/mod.rs`,
//! `#[path]`, inline `mod x { .. }`), and records an arrow from a module to every module it
//! names through a path: `use crate::..`, `use super::..`, `use self::..`, a `use` of a child
//! module, and `crate::a::b`, `super::x` or `self::x` paths anywhere in the code (macros
//! included). A path is resolved to the deepest module it names; when its next segment is a
//! name the module re-exports with `use`, the arrow follows the re-export to where it points.
//!
//! A module naming its own descendants draws no arrow: a parent's `mod` declarations,
//! re-exports and uses of its children are its table of contents (the crate root is the
//! parent of every module, so it is never part of a cycle). A child naming its parent, or any
//! other module, draws one: `a::x -> b -> a` is a cycle, `a -> a::x -> a` is not.
//!
//! Each strongly connected component of more than one module is a cycle; the command prints
//! one circle through it (`a -> b -> c -> a`) and fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// A module's path below the crate root: `["session", "capture"]`; the root is `[]`.
type ModPath = Vec<String>;

/// The module tree of one target and the arrows between its modules.
#[derive(Default, Debug)]
pub(crate) struct Graph {
    /// Every module of the target.
    modules: BTreeSet<ModPath>,
    /// The paths each module names, as written (already made absolute from the root).
    refs: BTreeMap<ModPath, BTreeSet<ModPath>>,
    /// For each module, the names its `use` items bind and the absolute path they bind to.
    uses: BTreeMap<ModPath, BTreeMap<String, ModPath>>,
}

/// Runs the check on every target of every workspace package.
pub(crate) fn run(args: &[String]) -> Result<bool, String> {
    if !args.is_empty() {
        return Err(format!("unexpected arguments: {args:?}"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("running cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let mut ok = true;
    let mut checked = 0;
    for package in meta["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or("?");
        for target in package["targets"].as_array().into_iter().flatten() {
            let kinds: Vec<&str> = target["kind"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str())
                .collect();
            if !kinds
                .iter()
                .any(|k| matches!(*k, "lib" | "rlib" | "bin" | "proc-macro"))
            {
                continue;
            }
            let Some(root) = target["src_path"].as_str() else {
                continue;
            };
            let graph = Graph::from_root(Path::new(root))?;
            checked += 1;
            for (cycle, knot) in graph.cycles().into_iter().zip(graph.knots()) {
                ok = false;
                let others: Vec<String> = knot
                    .iter()
                    .filter(|m| !cycle.contains(m))
                    .map(|m| m.join("::"))
                    .collect();
                let also = if others.is_empty() {
                    String::new()
                } else {
                    format!(" (the same knot also holds {})", others.join(", "))
                };
                eprintln!(
                    "module cycle in {name} ({} {}): {}{also}",
                    kinds.join(","),
                    target["name"].as_str().unwrap_or("?"),
                    show(&cycle)
                );
            }
        }
    }
    if ok {
        eprintln!("module-cycles: no module import cycle in {checked} targets");
    }
    Ok(ok)
}

/// `a::b -> c -> a::b`.
fn show(cycle: &[ModPath]) -> String {
    let mut names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
    if let Some(first) = names.first().cloned() {
        names.push(first);
    }
    names.join(" -> ")
}

impl Graph {
    /// Reads the module tree that starts at a target's root file.
    pub(crate) fn from_root(root: &Path) -> Result<Graph, String> {
        let mut graph = Graph::default();
        let dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
        graph.read_file(root, Vec::new(), dir)?;
        Ok(graph)
    }

    /// Reads one module file: `path` is the module's path, `dir` the folder its `mod x;`
    /// children live in.
    fn read_file(&mut self, file: &Path, path: ModPath, dir: PathBuf) -> Result<(), String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let syntax = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        self.read_items(&syntax.items, path, &dir)
    }

    fn read_items(&mut self, items: &[syn::Item], path: ModPath, dir: &Path) -> Result<(), String> {
        self.modules.insert(path.clone());
        // Children first, so that `use child::X` is known to name a module.
        let mut children = BTreeSet::new();
        for item in items {
            if let syn::Item::Mod(m) = item {
                children.insert(m.ident.to_string());
            }
        }
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    let name = m.ident.to_string();
                    let mut child = path.clone();
                    child.push(name.clone());
                    let explicit = path_attr(&m.attrs);
                    match &m.content {
                        Some((_, inner)) => {
                            let inner_dir = match &explicit {
                                Some(p) => dir.join(p),
                                None => dir.join(&name),
                            };
                            self.read_items(inner, child, &inner_dir)?;
                        }
                        None => {
                            let (file, child_dir) = match explicit {
                                Some(p) => {
                                    let file = dir.join(p);
                                    let parent = file.parent().unwrap_or(dir).to_path_buf();
                                    (file, parent)
                                }
                                None => {
                                    let flat = dir.join(format!("{name}.rs"));
                                    if flat.exists() {
                                        (flat, dir.join(&name))
                                    } else {
                                        (dir.join(&name).join("mod.rs"), dir.join(&name))
                                    }
                                }
                            };
                            self.read_file(&file, child, child_dir)?;
                        }
                    }
                }
                syn::Item::Use(u) => {
                    let mut found = Vec::new();
                    use_paths(&u.tree, Vec::new(), &mut found);
                    for (written, binding) in found {
                        if let Some(abs) = absolute(&path, &written, &children) {
                            self.refs
                                .entry(path.clone())
                                .or_default()
                                .insert(abs.clone());
                            if let Some(name) = binding {
                                self.uses.entry(path.clone()).or_default().insert(name, abs);
                            }
                        }
                    }
                }
                other => {
                    let mut found = Vec::new();
                    scan_tokens(other.to_token_stream(), &children, &mut found);
                    for written in found {
                        if let Some(abs) = absolute(&path, &written, &children) {
                            self.refs.entry(path.clone()).or_default().insert(abs);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The module a path (absolute from the root) lands in: the deepest module it names,
    /// following `use` re-exports of the next segment.
    fn resolve(&self, abs: &[String]) -> ModPath {
        let mut abs = abs.to_vec();
        for _ in 0..8 {
            let mut depth = 0;
            while depth < abs.len() && self.modules.contains(&abs[..=depth]) {
                depth += 1;
            }
            let module = abs[..depth].to_vec();
            let Some(next) = abs.get(depth) else {
                return module;
            };
            match self.uses.get(&module).and_then(|u| u.get(next)) {
                Some(target) if !target.starts_with(&abs[..=depth]) => {
                    let mut again = target.clone();
                    again.extend_from_slice(&abs[depth + 1..]);
                    abs = again;
                }
                _ => return module,
            }
        }
        abs
    }

    /// The arrows between modules; a module naming its own descendants draws none.
    fn edges(&self) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        for (from, refs) in &self.refs {
            for r in refs {
                let to = self.resolve(r);
                if to.starts_with(from) || !self.modules.contains(&to) {
                    continue;
                }
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
        edges
    }

    /// Every strongly connected component of more than one module.
    pub(crate) fn knots(&self) -> Vec<Vec<ModPath>> {
        let edges = self.edges();
        components(&self.modules, &edges)
            .into_iter()
            .filter(|c| c.len() > 1)
            .collect()
    }

    /// One circle through each knot (in the order of [`Graph::knots`]).
    pub(crate) fn cycles(&self) -> Vec<Vec<ModPath>> {
        let edges = self.edges();
        self.knots()
            .iter()
            .map(|knot| circle(knot, &edges))
            .collect()
    }
}

/// The `#[path = ".."]` of a module, if any.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| {
        if !a.path().is_ident("path") {
            return None;
        }
        match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        }
    })
}

/// Every path a `use` tree names, with the name it binds (none for globs).
fn use_paths(
    tree: &syn::UseTree,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            use_paths(&p.tree, next, out);
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            let mut full = prefix;
            if name == "self" {
                let bound = full.last().cloned();
                out.push((full, bound));
            } else {
                full.push(name.clone());
                out.push((full, Some(name)));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix;
            if r.ident != "self" {
                full.push(r.ident.to_string());
            }
            out.push((full, Some(r.rename.to_string())));
        }
        syn::UseTree::Glob(_) => out.push((prefix, None)),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_paths(t, prefix.clone(), out);
            }
        }
    }
}

/// Paths written as `crate::a::b`, `super::x`, `self::x` or `child::x` in a token stream.
fn scan_tokens(tokens: TokenStream, children: &BTreeSet<String>, out: &mut Vec<Vec<String>>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if let TokenTree::Group(g) = &tokens[i] {
            scan_tokens(g.stream(), children, out);
            i += 1;
            continue;
        }
        let starts = match &tokens[i] {
            TokenTree::Ident(id) => {
                let s = id.to_string();
                let after_dollar =
                    i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
                // `a::child::x` is a path that does not start at `child`
                let after_colons = i >= 2 && is_colons(&tokens, i - 2);
                !after_dollar
                    && !after_colons
                    && (matches!(s.as_str(), "crate" | "super" | "self") || children.contains(&s))
            }
            _ => false,
        };
        if !starts {
            i += 1;
            continue;
        }
        let mut segments = vec![tokens[i].to_string()];
        let mut j = i + 1;
        while is_colons(&tokens, j) {
            match tokens.get(j + 2) {
                Some(TokenTree::Ident(id)) => {
                    segments.push(id.to_string());
                    j += 3;
                }
                _ => break,
            }
        }
        if segments.len() > 1 {
            out.push(segments);
        }
        i = j.max(i + 1);
    }
}

/// Whether `tokens[at]` and `tokens[at + 1]` are `::`.
fn is_colons(tokens: &[TokenTree], at: usize) -> bool {
    matches!(
        (tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':'
    )
}

/// A written path made absolute from the crate root, or None when it is not one of ours
/// (an external crate, `std`).
fn absolute(module: &ModPath, written: &[String], children: &BTreeSet<String>) -> Option<ModPath> {
    let first = written.first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.clone(),
        "super" => {
            let mut m = module.clone();
            m.pop();
            m
        }
        name if children.contains(name) => {
            let mut m = module.clone();
            m.push(name.to_owned());
            m
        }
        _ => return None,
    };
    for seg in &written[1..] {
        if seg == "super" {
            base.pop();
        } else if seg != "self" {
            base.push(seg.clone());
        }
    }
    Some(base)
}

/// Strongly connected components (Tarjan).
fn components(
    nodes: &BTreeSet<ModPath>,
    edges: &BTreeMap<ModPath, BTreeSet<ModPath>>,
) -> Vec<Vec<ModPath>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on_stack: BTreeSet<&'a ModPath>,
        next: usize,
        out: Vec<Vec<ModPath>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a ModPath) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            component.sort();
            s.out.push(component);
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// One circle inside a strongly connected component: the shortest way back to its first
/// module (breadth-first within the component).
fn circle(component: &[ModPath], edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<ModPath> {
    let inside: BTreeSet<&ModPath> = component.iter().collect();
    let start = &component[0];
    let mut came_from: BTreeMap<&ModPath, &ModPath> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in edges.get(v).into_iter().flatten() {
            if !inside.contains(w) {
                continue;
            }
            if w == start {
                let mut path = vec![v.clone()];
                let mut at = v;
                while let Some(prev) = came_from.get(at) {
                    path.push((*prev).clone());
                    at = prev;
                }
                path.reverse();
                return path;
            }
            if !came_from.contains_key(w) && w != start {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    component.to_vec()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A scratch crate: `files` are (path under src/, text).
    fn planted(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-module-cycles-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let file = dir.join("src").join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        dir
    }

    fn names(cycles: &[Vec<ModPath>]) -> Vec<String> {
        cycles.iter().map(|c| show(c)).collect()
    }

    #[test]
    fn a_planted_cycle_through_three_modules_is_found_and_printed() {
        let dir = planted(
            "three",
            &[
                ("lib.rs", "mod a;\nmod b;\nmod c;\npub use a::A;\n"),
                ("a.rs", "use crate::b::B;\npub struct A(B);\n"),
                ("b.rs", "pub struct B(pub crate::c::C);\n"),
                // back to a through a `super::` path in a function body
                ("c.rs", "pub struct C;\nfn f() { let _ = super::a::A; }\n"),
            ],
        );
        let graph = Graph::from_root(&dir.join("src/lib.rs")).unwrap();
        let cycles = graph.cycles();
        assert_eq!(names(&cycles), vec!["a -> b -> c -> a"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_cycle_through_a_re_export_and_nested_modules_is_found() {
        let dir = planted(
            "nested",
            &[
                ("lib.rs", "mod session;\nmod sandbox;\n"),
                (
                    "session/mod.rs",
                    "mod capture;\npub(crate) use capture::Capture;\n",
                ),
                (
                    "session/capture.rs",
                    "use crate::sandbox::Config;\npub struct Capture(Config);\n",
                ),
                // names `session::Capture`, which session re-exports from `session::capture`
                (
                    "sandbox.rs",
                    "pub struct Config;\nimpl Config { fn c(&self) -> crate::session::Capture { todo!() } }\n",
                ),
            ],
        );
        let graph = Graph::from_root(&dir.join("src/lib.rs")).unwrap();
        assert_eq!(
            names(&graph.cycles()),
            vec!["sandbox -> session::capture -> sandbox"]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_parent_using_its_child_is_no_cycle_but_a_way_back_through_a_sibling_is() {
        let files = [
            ("lib.rs", "mod a;\nmod b;\n"),
            ("a/mod.rs", "mod x;\npub use x::X;\npub struct Y;\n"),
            ("a/x.rs", "pub struct X(super::Y);\n"),
            ("b.rs", "pub struct B;\n"),
        ];
        let dir = planted("parent", &files);
        let graph = Graph::from_root(&dir.join("src/lib.rs")).unwrap();
        assert!(graph.cycles().is_empty(), "{:?}", names(&graph.cycles()));
        std::fs::remove_dir_all(&dir).unwrap();
        // a::x -> b -> a::x: b names `a::X`, which a re-exports from a::x
        let dir = planted(
            "parent-sibling",
            &[
                files[0],
                files[1],
                ("a/x.rs", "pub struct X(super::Y, crate::b::B);\n"),
                ("b.rs", "pub struct B(Box<crate::a::X>);\n"),
            ],
        );
        let graph = Graph::from_root(&dir.join("src/lib.rs")).unwrap();
        assert_eq!(names(&graph.cycles()), vec!["a::x -> b -> a::x"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn one_way_arrows_are_no_cycle() {
        let dir = planted(
            "clean",
            &[
                (
                    "lib.rs",
                    "mod a;\nmod b;\nmod c;\npub use a::A;\nfn f() -> crate::c::C { crate::c::C }\n",
                ),
                ("a.rs", "use crate::b::{self, B};\npub struct A(B, b::B);\n"),
                (
                    "b.rs",
                    "pub struct B(pub super::c::C);\nmacro_rules! m { () => { $crate::a::A } }\n",
                ),
                (
                    "c.rs",
                    "pub struct C;\nfn f(x: &Self) { let _ = std::mem::size_of::<C>(); }\n",
                ),
            ],
        );
        let graph = Graph::from_root(&dir.join("src/lib.rs")).unwrap();
        assert!(graph.cycles().is_empty(), "{:?}", names(&graph.cycles()));
        // the arrows it did see: a -> b, b -> c
        let edges = graph.edges();
        assert!(edges[&vec!["a".to_owned()]].contains(&vec!["b".to_owned()]));
        assert!(edges[&vec!["b".to_owned()]].contains(&vec!["c".to_owned()]));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
