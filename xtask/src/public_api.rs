//! `cargo xtask public-api [--check]`: the public API of each published library crate, one
//! item per line, in `public-api/<crate>.txt`.
//!
//! rustdoc writes a crate's documented items as JSON (`--output-format json`, an unstable
//! rustdoc flag: the stable toolchain's rustdoc accepts it with `RUSTC_BOOTSTRAP=1`, which
//! this command sets for rustdoc only, through `RUSTDOC` pointing back at this binary, so no
//! dependency is rebuilt). The JSON is read with the `rustdoc-types` crate whose
//! `FORMAT_VERSION` matches the toolchain's; a toolchain with another format version is
//! refused with a message saying which `rustdoc-types` to pin.
//!
//! Every public item reachable from the crate root is printed with its path and signature:
//! modules, re-exports (`pub use`), structs and their public fields, enums and their
//! variants, functions and methods with generics and where-clauses, traits and their items,
//! trait implementations (not auto traits or blanket impls), constants, statics, type
//! aliases and macros, plus `#[non_exhaustive]`. The lines are sorted, so the file reads as a
//! diff in review. Regenerate with `cargo xtask public-api`; `--check` prints the diff and
//! fails when a snapshot is stale.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use rustdoc_types::{
    Crate, GenericArg, GenericArgs, GenericBound, GenericParamDef, GenericParamDefKind, Generics,
    Id, Item, ItemEnum, StructKind, Term, Type, VariantKind, Visibility, WherePredicate,
};

/// The library crates whose API is snapshotted (package name, crate name).
const CRATES: &[(&str, &str)] = &[
    ("idv", "idv"),
    ("idv-model", "idv_model"),
    ("idv-auth", "idv_auth"),
    ("idv-core", "idv_core"),
    ("idv-transport-ureq", "idv_transport_ureq"),
    ("idv-transport-reqwest", "idv_transport_reqwest"),
    ("idv-emulator", "idv_emulator"),
];

/// Where the snapshots live, relative to the workspace root.
const OUT_DIR: &str = "public-api";

/// Set when this binary runs as the `RUSTDOC` wrapper.
const WRAPPER_ENV: &str = "IDV_XTASK_RUSTDOC_WRAPPER";

/// When this process was started by cargo as `RUSTDOC`, runs the real rustdoc with
/// `RUSTC_BOOTSTRAP=1` and returns its exit code.
pub(crate) fn as_rustdoc_wrapper() -> Option<std::process::ExitCode> {
    let real = std::env::var_os(WRAPPER_ENV)?;
    let status = Command::new(real)
        .args(std::env::args_os().skip(1))
        .env("RUSTC_BOOTSTRAP", "1")
        .status();
    Some(match status {
        Ok(s) if s.success() => std::process::ExitCode::SUCCESS,
        Ok(s) => std::process::ExitCode::from(u8::try_from(s.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("xtask rustdoc wrapper: {e}");
            std::process::ExitCode::FAILURE
        }
    })
}

/// `cargo xtask public-api [--check]`.
pub(crate) fn run(args: &[String]) -> Result<bool, String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask public-api [--check]".to_owned()),
    };
    let root = crate::codegen::workspace_root();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root.join(d) })
        .unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let me = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let real_rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".to_owned());

    // One rustdoc run for all crates: one feature resolution, the same as the workspace's
    // `cargo doc --all-features`, so the dependencies' metadata is reused, not rebuilt.
    let mut command = Command::new(&cargo);
    command
        .current_dir(&root)
        .args(["doc", "--quiet", "--no-deps", "--all-features", "--lib"])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTDOC", &me)
        .env(WRAPPER_ENV, &real_rustdoc)
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json");
    for (package, _) in CRATES {
        command.args(["-p", package]);
    }
    let status = command
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if !status.success() {
        return Err("rustdoc JSON failed".to_owned());
    }

    let mut ok = true;
    for (package, crate_name) in CRATES {
        let json_path = target_dir.join("doc").join(format!("{crate_name}.json"));
        let json = std::fs::read_to_string(&json_path)
            .map_err(|e| format!("{}: {e}", json_path.display()))?;
        let text = render_json(&json).map_err(|e| format!("{package}: {e}"))?;
        let out = root.join(OUT_DIR).join(format!("{package}.txt"));
        let old = std::fs::read_to_string(&out).unwrap_or_default();
        if check {
            if old != text {
                ok = false;
                eprintln!(
                    "public-api/{package}.txt is stale: the public API of {package} changed.\n\
                     Review the diff below; if it is intended, run `cargo xtask public-api` and \
                     commit the file (and add the change to CHANGELOG.md).\n{}",
                    similar::TextDiff::from_lines(&old, &text)
                        .unified_diff()
                        .header(&format!("public-api/{package}.txt"), "current")
                );
            }
        } else if old != text {
            std::fs::create_dir_all(root.join(OUT_DIR)).map_err(|e| format!("{OUT_DIR}: {e}"))?;
            std::fs::write(&out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
            eprintln!("wrote {}", out.display());
        }
    }
    Ok(ok)
}

/// The snapshot text of one crate's rustdoc JSON.
pub(crate) fn render_json(json: &str) -> Result<String, String> {
    // Read the format version first, so a toolchain change gets a clear message.
    let version: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("rustdoc JSON: {e}"))?;
    let found = version
        .get("format_version")
        .and_then(serde_json::Value::as_u64);
    if found != Some(u64::from(rustdoc_types::FORMAT_VERSION)) {
        return Err(format!(
            "rustdoc JSON format version {found:?}, but xtask reads version {}: pin the \
             `rustdoc-types` release whose FORMAT_VERSION is {found:?} in Cargo.toml",
            rustdoc_types::FORMAT_VERSION
        ));
    }
    let mut krate: Crate = serde_json::from_str(json).map_err(|e| format!("rustdoc JSON: {e}"))?;
    // Name every local item by its shortest public path (a type defined in a private module
    // and re-exported at the root is `idv::Client`, not `idv::client::Client`).
    let mut public = HashMap::new();
    let root_id = krate.root;
    let root_path = krate
        .index
        .get(&root_id)
        .and_then(|i| i.name.clone())
        .unwrap_or_default();
    public_paths(
        &krate,
        &root_id,
        &root_path,
        &mut public,
        &mut HashSet::new(),
    );
    for (id, path) in public {
        if let Some(summary) = krate.paths.get_mut(&id) {
            summary.path = path.split("::").map(str::to_owned).collect();
        }
    }
    let mut lines = BTreeSet::new();
    let mut seen = HashSet::new();
    let root_name = krate
        .index
        .get(&krate.root)
        .and_then(|i| i.name.clone())
        .ok_or("no root module")?;
    walk(&krate, &krate.root, &root_name, &mut lines, &mut seen);
    let mut out = String::new();
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// Records the shortest public path of every item reachable from module `id`.
fn public_paths(
    krate: &Crate,
    id: &Id,
    path: &str,
    out: &mut HashMap<Id, String>,
    seen: &mut HashSet<Id>,
) {
    let better = |old: &String| {
        (path.matches("::").count(), path) < (old.matches("::").count(), old.as_str())
    };
    match out.get(id) {
        Some(old) if !better(old) => {}
        _ => {
            out.insert(*id, path.to_owned());
        }
    }
    let Some(Item {
        inner: ItemEnum::Module(module),
        ..
    }) = krate.index.get(id)
    else {
        return;
    };
    if !seen.insert(*id) {
        return;
    }
    for child in &module.items {
        let Some(item) = krate.index.get(child) else {
            continue;
        };
        if !is_public(item) {
            continue;
        }
        match &item.inner {
            ItemEnum::Use(u) if !u.is_glob => {
                if let Some(target) = u.id.as_ref().filter(|t| krate.index.contains_key(t)) {
                    public_paths(krate, target, &format!("{path}::{}", u.name), out, seen);
                }
            }
            ItemEnum::Use(_) | ItemEnum::Impl(_) => {}
            _ => {
                if let Some(name) = &item.name {
                    public_paths(krate, child, &format!("{path}::{name}"), out, seen);
                }
            }
        }
    }
    seen.remove(id);
}

/// Adds the item `id`, known by `path`, and everything public below it.
fn walk(
    krate: &Crate,
    id: &Id,
    path: &str,
    out: &mut BTreeSet<String>,
    seen: &mut HashSet<(Id, String)>,
) {
    if !seen.insert((*id, path.to_owned())) {
        return;
    }
    let Some(item) = krate.index.get(id) else {
        return;
    };
    let ne = if is_non_exhaustive(item) {
        "#[non_exhaustive] "
    } else {
        ""
    };
    let deprecated = if item.deprecation.is_some() {
        "#[deprecated] "
    } else {
        ""
    };
    match &item.inner {
        ItemEnum::Module(module) => {
            out.insert(format!("{deprecated}pub mod {path}"));
            for child in &module.items {
                let Some(child_item) = krate.index.get(child) else {
                    continue;
                };
                if !is_public(child_item) {
                    continue;
                }
                match &child_item.inner {
                    ItemEnum::Use(u) => {
                        let name = &u.name;
                        match u.id.as_ref().filter(|i| krate.index.contains_key(i)) {
                            // A local item re-exported: list it under this path too.
                            Some(target) if !u.is_glob => {
                                walk(krate, target, &format!("{path}::{name}"), out, seen);
                            }
                            Some(target) => {
                                // A glob of a local module: its items appear here.
                                if let Some(ItemEnum::Module(m)) =
                                    krate.index.get(target).map(|i| &i.inner)
                                {
                                    for grand in &m.items {
                                        if let Some(g) = krate.index.get(grand)
                                            && is_public(g)
                                            && let Some(n) = &g.name
                                        {
                                            walk(krate, grand, &format!("{path}::{n}"), out, seen);
                                        }
                                    }
                                }
                            }
                            None if u.is_glob => {
                                out.insert(format!("pub use {path}::* (= {}::*)", u.source));
                            }
                            None => {
                                out.insert(format!("pub use {path}::{name} (= {})", u.source));
                            }
                        }
                    }
                    ItemEnum::Impl(_) => {}
                    _ => {
                        if let Some(name) = &child_item.name {
                            walk(krate, child, &format!("{path}::{name}"), out, seen);
                        }
                    }
                }
            }
        }
        ItemEnum::Struct(s) => {
            let g = generics_decl(krate, &s.generics);
            let w = where_clause(krate, &s.generics);
            let shape = match &s.kind {
                StructKind::Unit => ";".to_owned(),
                StructKind::Tuple(fields) => {
                    let fs: Vec<String> = fields
                        .iter()
                        .map(|f| match f.as_ref().and_then(|f| krate.index.get(f)) {
                            Some(Item {
                                inner: ItemEnum::StructField(t),
                                ..
                            }) => format!("pub {}", ty(krate, t)),
                            _ => "_".to_owned(),
                        })
                        .collect();
                    format!("({})", fs.join(", "))
                }
                StructKind::Plain {
                    fields,
                    has_stripped_fields,
                } => {
                    for f in fields {
                        field(krate, f, path, out);
                    }
                    if *has_stripped_fields {
                        " { .. }".to_owned()
                    } else {
                        " { }".to_owned()
                    }
                }
            };
            out.insert(format!("{deprecated}{ne}pub struct {path}{g}{w}{shape}"));
            impls(krate, &s.impls, path, out);
        }
        ItemEnum::Union(u) => {
            out.insert(format!(
                "{deprecated}pub union {path}{}",
                generics_decl(krate, &u.generics)
            ));
            for f in &u.fields {
                field(krate, f, path, out);
            }
            impls(krate, &u.impls, path, out);
        }
        ItemEnum::Enum(e) => {
            let g = generics_decl(krate, &e.generics);
            let w = where_clause(krate, &e.generics);
            out.insert(format!("{deprecated}{ne}pub enum {path}{g}{w}"));
            for v in &e.variants {
                let Some(variant) = krate.index.get(v) else {
                    continue;
                };
                let Some(name) = &variant.name else { continue };
                let vne = if is_non_exhaustive(variant) {
                    "#[non_exhaustive] "
                } else {
                    ""
                };
                let ItemEnum::Variant(var) = &variant.inner else {
                    continue;
                };
                let shape = match &var.kind {
                    VariantKind::Plain => String::new(),
                    VariantKind::Tuple(fields) => {
                        let fs: Vec<String> = fields
                            .iter()
                            .map(|f| match f.as_ref().and_then(|f| krate.index.get(f)) {
                                Some(Item {
                                    inner: ItemEnum::StructField(t),
                                    ..
                                }) => ty(krate, t),
                                _ => "_".to_owned(),
                            })
                            .collect();
                        format!("({})", fs.join(", "))
                    }
                    VariantKind::Struct {
                        fields,
                        has_stripped_fields,
                    } => {
                        let mut fs: Vec<String> = fields
                            .iter()
                            .filter_map(|f| krate.index.get(f))
                            .filter_map(|f| match (&f.name, &f.inner) {
                                (Some(n), ItemEnum::StructField(t)) => {
                                    Some(format!("{n}: {}", ty(krate, t)))
                                }
                                _ => None,
                            })
                            .collect();
                        if *has_stripped_fields {
                            fs.push("..".to_owned());
                        }
                        format!(" {{ {} }}", fs.join(", "))
                    }
                };
                out.insert(format!("{vne}pub variant {path}::{name}{shape}"));
            }
            impls(krate, &e.impls, path, out);
        }
        ItemEnum::Function(_) => {
            out.insert(format!("{deprecated}{}", function(krate, item, path)));
        }
        ItemEnum::Trait(t) => {
            let unsafety = if t.is_unsafe { "unsafe " } else { "" };
            let g = generics_decl(krate, &t.generics);
            let bounds = if t.bounds.is_empty() {
                String::new()
            } else {
                format!(": {}", bounds(krate, &t.bounds))
            };
            let w = where_clause(krate, &t.generics);
            out.insert(format!(
                "{deprecated}pub {unsafety}trait {path}{g}{bounds}{w}"
            ));
            for child in &t.items {
                if let Some(c) = krate.index.get(child) {
                    assoc_item(krate, c, path, "", out);
                }
            }
        }
        ItemEnum::TypeAlias(a) => {
            out.insert(format!(
                "{deprecated}pub type {path}{}{} = {}",
                generics_decl(krate, &a.generics),
                where_clause(krate, &a.generics),
                ty(krate, &a.type_)
            ));
        }
        ItemEnum::Constant { type_, .. } => {
            out.insert(format!(
                "{deprecated}pub const {path}: {}",
                ty(krate, type_)
            ));
        }
        ItemEnum::Static(s) => {
            let m = if s.is_mutable { "mut " } else { "" };
            out.insert(format!(
                "{deprecated}pub static {m}{path}: {}",
                ty(krate, &s.type_)
            ));
        }
        ItemEnum::Macro(_) => {
            out.insert(format!("{deprecated}macro {path}!"));
        }
        ItemEnum::ProcMacro(_) => {
            out.insert(format!("{deprecated}proc-macro {path}"));
        }
        ItemEnum::TraitAlias(_) => {
            out.insert(format!("{deprecated}pub trait-alias {path}"));
        }
        ItemEnum::ExternType => {
            out.insert(format!("pub extern type {path}"));
        }
        _ => {}
    }
}

fn is_public(item: &Item) -> bool {
    matches!(item.visibility, Visibility::Public)
}

fn is_non_exhaustive(item: &Item) -> bool {
    item.attrs
        .iter()
        .any(|a| matches!(a, rustdoc_types::Attribute::NonExhaustive))
}

fn field(krate: &Crate, id: &Id, owner: &str, out: &mut BTreeSet<String>) {
    let Some(f) = krate.index.get(id) else { return };
    if let (Some(name), ItemEnum::StructField(t)) = (&f.name, &f.inner)
        && is_public(f)
    {
        out.insert(format!("pub field {owner}::{name}: {}", ty(krate, t)));
    }
}

/// Inherent methods and trait implementations of a type (not auto traits, not blanket
/// impls: those follow from the rest).
fn impls(krate: &Crate, ids: &[Id], owner: &str, out: &mut BTreeSet<String>) {
    for id in ids {
        let Some(Item {
            inner: ItemEnum::Impl(imp),
            ..
        }) = krate.index.get(id)
        else {
            continue;
        };
        if imp.is_synthetic || imp.blanket_impl.is_some() {
            continue;
        }
        // Compiler-internal marker of `#[derive(PartialEq)]`: the PartialEq line says it.
        if imp
            .trait_
            .as_ref()
            .is_some_and(|t| t.path.ends_with("StructuralPartialEq"))
        {
            continue;
        }
        let g = generics_decl(krate, &imp.generics);
        let w = where_clause(krate, &imp.generics);
        match &imp.trait_ {
            Some(tr) => {
                let neg = if imp.is_negative { "!" } else { "" };
                let unsafety = if imp.is_unsafe { "unsafe " } else { "" };
                out.insert(format!(
                    "{unsafety}impl{g} {neg}{} for {}{w}",
                    path_str(krate, tr),
                    ty(krate, &imp.for_)
                ));
            }
            None => {
                let for_ = ty(krate, &imp.for_);
                let prefix = if g.is_empty() && w.is_empty() {
                    String::new()
                } else {
                    format!("impl{g} {for_}{w} ")
                };
                for child in &imp.items {
                    if let Some(c) = krate.index.get(child)
                        && is_public(c)
                    {
                        assoc_item(krate, c, owner, &prefix, out);
                    }
                }
            }
        }
    }
}

/// An item of a trait or of an inherent impl.
fn assoc_item(krate: &Crate, item: &Item, owner: &str, prefix: &str, out: &mut BTreeSet<String>) {
    let Some(name) = &item.name else { return };
    let path = format!("{owner}::{name}");
    let deprecated = if item.deprecation.is_some() {
        "#[deprecated] "
    } else {
        ""
    };
    let line = match &item.inner {
        ItemEnum::Function(_) => function(krate, item, &path),
        ItemEnum::AssocConst { type_, .. } => format!("pub const {path}: {}", ty(krate, type_)),
        ItemEnum::AssocType {
            bounds: b, type_, ..
        } => {
            let b = if b.is_empty() {
                String::new()
            } else {
                format!(": {}", bounds(krate, b))
            };
            let d = type_
                .as_ref()
                .map(|t| format!(" = {}", ty(krate, t)))
                .unwrap_or_default();
            format!("pub type {path}{b}{d}")
        }
        _ => return,
    };
    out.insert(format!("{prefix}{deprecated}{line}"));
}

fn function(krate: &Crate, item: &Item, path: &str) -> String {
    let ItemEnum::Function(f) = &item.inner else {
        return String::new();
    };
    let mut s = String::from("pub ");
    if f.header.is_const {
        s.push_str("const ");
    }
    if f.header.is_async {
        s.push_str("async ");
    }
    if f.header.is_unsafe {
        s.push_str("unsafe ");
    }
    let args: Vec<String> = f
        .sig
        .inputs
        .iter()
        .map(|(name, t)| match (name.as_str(), t) {
            ("self", Type::Generic(g)) if g == "Self" => "self".to_owned(),
            (
                "self",
                Type::BorrowedRef {
                    is_mutable,
                    type_,
                    lifetime,
                },
            ) if matches!(&**type_, Type::Generic(g) if g == "Self") => {
                let lt = lifetime
                    .as_ref()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default();
                format!("&{lt}{}self", if *is_mutable { "mut " } else { "" })
            }
            _ => format!("{name}: {}", ty(krate, t)),
        })
        .collect();
    let _ = write!(
        s,
        "fn {path}{}({})",
        generics_decl(krate, &f.generics),
        args.join(", ")
    );
    if let Some(o) = &f.sig.output {
        let _ = write!(s, " -> {}", ty(krate, o));
    }
    s.push_str(&where_clause(krate, &f.generics));
    s
}

fn generics_decl(krate: &Crate, g: &Generics) -> String {
    let params: Vec<String> = g
        .params
        .iter()
        .filter(|p| {
            !matches!(
                p.kind,
                GenericParamDefKind::Type {
                    is_synthetic: true,
                    ..
                }
            )
        })
        .map(|p| param(krate, p))
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn param(krate: &Crate, p: &GenericParamDef) -> String {
    match &p.kind {
        GenericParamDefKind::Lifetime { outlives } if outlives.is_empty() => p.name.clone(),
        GenericParamDefKind::Lifetime { outlives } => {
            format!("{}: {}", p.name, outlives.join(" + "))
        }
        GenericParamDefKind::Type {
            bounds: b, default, ..
        } => {
            let mut s = p.name.clone();
            if !b.is_empty() {
                let _ = write!(s, ": {}", bounds(krate, b));
            }
            if let Some(d) = default {
                let _ = write!(s, " = {}", ty(krate, d));
            }
            s
        }
        GenericParamDefKind::Const { type_, default } => {
            let d = default
                .as_ref()
                .map(|d| format!(" = {d}"))
                .unwrap_or_default();
            format!("const {}: {}{d}", p.name, ty(krate, type_))
        }
    }
}

fn where_clause(krate: &Crate, g: &Generics) -> String {
    let preds: Vec<String> = g
        .where_predicates
        .iter()
        .map(|w| match w {
            WherePredicate::BoundPredicate {
                type_, bounds: b, ..
            } => {
                format!("{}: {}", ty(krate, type_), bounds(krate, b))
            }
            WherePredicate::LifetimePredicate { lifetime, outlives } => {
                format!("{lifetime}: {}", outlives.join(" + "))
            }
            WherePredicate::EqPredicate { lhs, rhs } => {
                format!("{} = {}", ty(krate, lhs), term(krate, rhs))
            }
        })
        .collect();
    if preds.is_empty() {
        String::new()
    } else {
        format!(" where {}", preds.join(", "))
    }
}

fn bounds(krate: &Crate, b: &[GenericBound]) -> String {
    b.iter()
        .map(|b| match b {
            GenericBound::TraitBound {
                trait_, modifier, ..
            } => {
                let m = match modifier {
                    rustdoc_types::TraitBoundModifier::Maybe => "?",
                    rustdoc_types::TraitBoundModifier::MaybeConst => "~const ",
                    rustdoc_types::TraitBoundModifier::None => "",
                };
                format!("{m}{}", path_str(krate, trait_))
            }
            GenericBound::Outlives(l) => l.clone(),
            GenericBound::Use(args) => {
                let a: Vec<String> = args
                    .iter()
                    .map(|a| match a {
                        rustdoc_types::PreciseCapturingArg::Lifetime(l) => l.clone(),
                        rustdoc_types::PreciseCapturingArg::Param(p) => p.clone(),
                    })
                    .collect();
                format!("use<{}>", a.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn term(krate: &Crate, t: &Term) -> String {
    match t {
        Term::Type(t) => ty(krate, t),
        Term::Constant(c) => c.expr.clone(),
    }
}

/// A path as the crate's canonical path when rustdoc knows it, else as written.
fn path_str(krate: &Crate, p: &rustdoc_types::Path) -> String {
    let name = krate
        .paths
        .get(&p.id)
        .map(|s| s.path.join("::"))
        .unwrap_or_else(|| p.path.clone());
    format!(
        "{name}{}",
        p.args.as_ref().map(|a| args(krate, a)).unwrap_or_default()
    )
}

fn args(krate: &Crate, a: &GenericArgs) -> String {
    match a {
        GenericArgs::AngleBracketed { args, constraints } => {
            let mut parts: Vec<String> = args
                .iter()
                .map(|a| match a {
                    GenericArg::Lifetime(l) => l.clone(),
                    GenericArg::Type(t) => ty(krate, t),
                    GenericArg::Const(c) => c.expr.clone(),
                    GenericArg::Infer => "_".to_owned(),
                })
                .collect();
            for c in constraints {
                let rhs = match &c.binding {
                    rustdoc_types::AssocItemConstraintKind::Equality(t) => {
                        format!(" = {}", term(krate, t))
                    }
                    rustdoc_types::AssocItemConstraintKind::Constraint(b) => {
                        format!(": {}", bounds(krate, b))
                    }
                };
                parts.push(format!("{}{rhs}", c.name));
            }
            if parts.is_empty() {
                String::new()
            } else {
                format!("<{}>", parts.join(", "))
            }
        }
        GenericArgs::Parenthesized { inputs, output } => {
            let i: Vec<String> = inputs.iter().map(|t| ty(krate, t)).collect();
            let o = output
                .as_ref()
                .map(|o| format!(" -> {}", ty(krate, o)))
                .unwrap_or_default();
            format!("({}){o}", i.join(", "))
        }
        GenericArgs::ReturnTypeNotation => "(..)".to_owned(),
    }
}

fn ty(krate: &Crate, t: &Type) -> String {
    match t {
        Type::ResolvedPath(p) => path_str(krate, p),
        Type::DynTrait(d) => {
            let mut parts: Vec<String> = d
                .traits
                .iter()
                .map(|p| path_str(krate, &p.trait_))
                .collect();
            if let Some(l) = &d.lifetime {
                parts.push(l.clone());
            }
            format!("dyn {}", parts.join(" + "))
        }
        Type::Generic(g) => g.clone(),
        Type::Primitive(p) => p.clone(),
        Type::FunctionPointer(f) => {
            let i: Vec<String> = f.sig.inputs.iter().map(|(_, t)| ty(krate, t)).collect();
            let o = f
                .sig
                .output
                .as_ref()
                .map(|o| format!(" -> {}", ty(krate, o)))
                .unwrap_or_default();
            format!("fn({}){o}", i.join(", "))
        }
        Type::Tuple(ts) => {
            let i: Vec<String> = ts.iter().map(|t| ty(krate, t)).collect();
            if i.len() == 1 {
                format!("({},)", i[0])
            } else {
                format!("({})", i.join(", "))
            }
        }
        Type::Slice(t) => format!("[{}]", ty(krate, t)),
        Type::Array { type_, len } => format!("[{}; {len}]", ty(krate, type_)),
        Type::Pat { type_, .. } => ty(krate, type_),
        Type::ImplTrait(b) => format!("impl {}", bounds(krate, b)),
        Type::Infer => "_".to_owned(),
        Type::RawPointer { is_mutable, type_ } => {
            format!(
                "*{} {}",
                if *is_mutable { "mut" } else { "const" },
                ty(krate, type_)
            )
        }
        Type::BorrowedRef {
            lifetime,
            is_mutable,
            type_,
        } => {
            let lt = lifetime
                .as_ref()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            format!(
                "&{lt}{}{}",
                if *is_mutable { "mut " } else { "" },
                ty(krate, type_)
            )
        }
        Type::QualifiedPath {
            name,
            args: a,
            self_type,
            trait_,
        } => {
            let a = a.as_ref().map(|a| args(krate, a)).unwrap_or_default();
            match trait_ {
                Some(tr) => format!(
                    "<{} as {}>::{name}{a}",
                    ty(krate, self_type),
                    path_str(krate, tr)
                ),
                None => format!("{}::{name}{a}", ty(krate, self_type)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_library_has_a_committed_snapshot() {
        let root = crate::codegen::workspace_root();
        for (package, _) in CRATES {
            let path = root.join(OUT_DIR).join(format!("{package}.txt"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                text.lines().count() > 3,
                "{} is nearly empty",
                path.display()
            );
        }
    }

    #[test]
    fn a_json_of_another_format_version_is_refused_with_the_fix() {
        let err = render_json(r#"{"format_version": 1}"#).unwrap_err();
        assert!(err.contains("pin the `rustdoc-types`"), "{err}");
    }
}
