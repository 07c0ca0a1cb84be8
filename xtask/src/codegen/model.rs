//! The generator's view of the spec: named types with Rust names, fields and variants.

use std::collections::BTreeMap;

use super::json::Json;

/// Which way a type travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Request,
    Response,
}

/// A Rust type of a field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    Str,
    Bool,
    U32,
    U64,
    I32,
    I64,
    F64,
    /// A type generated from the schema with this key.
    Named(String),
    /// A hand-written type, by path.
    Custom(String),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// A free-form JSON object.
    JsonMap,
    /// Any JSON value.
    Json,
}

impl Ty {
    /// Scalars that accessors return by value.
    pub(crate) fn is_copy(&self) -> bool {
        matches!(
            self,
            Ty::Bool | Ty::U32 | Ty::U64 | Ty::I32 | Ty::I64 | Ty::F64
        )
    }
}

/// A field of a struct.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) wire: String,
    pub(crate) name: String,
    pub(crate) doc: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    pub(crate) default: bool,
    pub(crate) secret: bool,
    pub(crate) pii: bool,
    pub(crate) always: bool,
    pub(crate) singular: Option<String>,
}

impl Field {
    pub(crate) fn redacted(&self) -> bool {
        self.secret || self.pii
    }
    /// Lists and maps are never `Option`s.
    pub(crate) fn is_collection(&self) -> bool {
        matches!(self.ty, Ty::Vec(_) | Ty::Map(_) | Ty::JsonMap)
    }
    /// Whether the Rust field is an `Option`.
    pub(crate) fn is_option(&self) -> bool {
        !self.required && !self.default && !self.is_collection()
    }
}

/// A member of a struct in wire order: a field or a constant (such as a discriminator).
#[derive(Debug, Clone)]
pub(crate) enum Member {
    Field(Field),
    Const { wire: String, value: Json },
}

/// A variant of a union.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub(crate) tag: String,
    pub(crate) ident: String,
    /// The schema key of the variant's payload.
    pub(crate) payload: String,
    pub(crate) doc: String,
}

/// A `oneOf` with a discriminator.
#[derive(Debug, Clone)]
pub(crate) struct Union {
    pub(crate) disc: String,
    pub(crate) variants: Vec<Variant>,
    pub(crate) envelope: bool,
    /// `(variant name, tag field name, tag field doc)`.
    pub(crate) custom: Option<(String, String, String)>,
    /// The schema key of the base (responses).
    pub(crate) base: Option<String>,
    /// The Rust name of the unknown variant's struct (responses).
    pub(crate) unknown: Option<String>,
}

/// What a named type is.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Enum(Vec<(String, String, String)>),
    Struct(Vec<Member>),
    Union(Union),
    Abstract(Vec<Member>),
}

/// One named type.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) module: String,
    pub(crate) role: Role,
    pub(crate) doc: String,
    pub(crate) kind: Kind,
}

impl TypeDef {
    pub(crate) fn fields(&self) -> impl Iterator<Item = &Field> {
        let members: &[Member] = match &self.kind {
            Kind::Struct(m) | Kind::Abstract(m) => m,
            _ => &[],
        };
        members.iter().filter_map(|m| match m {
            Member::Field(f) => Some(f),
            Member::Const { .. } => None,
        })
    }
}

/// Every generated type, by schema key, in spec order.
pub(crate) struct Model {
    pub(crate) types: Vec<TypeDef>,
    index: BTreeMap<String, usize>,
}

impl Model {
    pub(crate) fn get(&self, key: &str) -> &TypeDef {
        &self.types[self.index[key]]
    }

    /// Whether a type implements `Default` (so a field of it can default).
    pub(crate) fn has_default(&self, key: &str) -> bool {
        let t = self.get(key);
        match &t.kind {
            Kind::Struct(_) => t.fields().all(|f| self.field_has_default(f)),
            _ => false,
        }
    }

    fn field_has_default(&self, f: &Field) -> bool {
        if f.is_option() || f.is_collection() {
            return true;
        }
        match &f.ty {
            Ty::Named(k) => self.has_default(k),
            Ty::Custom(_) => false,
            _ => true,
        }
    }
}

/// Builds the model from the spec document.
pub(crate) fn build(spec: &Json) -> Result<Model, String> {
    let schemas = spec
        .pointer("#/components/schemas")
        .ok_or("the spec has no components.schemas")?;
    let mut types = Vec::new();
    for (key, schema) in schemas.as_obj() {
        if schema.flag("x-rust-skip") {
            continue;
        }
        types.push(type_def(spec, key, schema).map_err(|e| format!("schema `{key}`: {e}"))?);
    }
    let index = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.key.clone(), i))
        .collect();
    let model = Model { types, index };
    validate(&model)?;
    Ok(model)
}

fn doc_of(j: &Json, what: &str) -> Result<String, String> {
    j.str_of("description")
        .map(str::to_owned)
        .ok_or_else(|| format!("{what} has no description"))
}

fn ref_key(r: &str) -> Result<String, String> {
    r.strip_prefix("#/components/schemas/")
        .map(str::to_owned)
        .ok_or_else(|| format!("unsupported $ref `{r}`"))
}

fn type_def(spec: &Json, key: &str, schema: &Json) -> Result<TypeDef, String> {
    let name = schema.str_of("x-rust-name").unwrap_or(key).to_owned();
    let module = schema
        .str_of("x-rust-module")
        .ok_or("no x-rust-module")?
        .to_owned();
    let role = match schema.str_of("x-rust-role") {
        Some("request") => Role::Request,
        Some("response") | None => Role::Response,
        Some(other) => return Err(format!("unknown x-rust-role `{other}`")),
    };
    let doc = doc_of(schema, "the schema")?;
    let kind = if let Some(values) = schema.get("enum") {
        if !schema.flag("x-open-enum") {
            return Err("string enums must be x-open-enum".into());
        }
        let descriptions = schema.get("x-enum-descriptions");
        let mut out = Vec::new();
        for v in values.as_arr() {
            let v = v.as_str().ok_or("enum values must be strings")?;
            let d = descriptions
                .and_then(|d| d.str_of(v))
                .ok_or_else(|| format!("enum value `{v}` has no x-enum-descriptions entry"))?;
            out.push((v.to_owned(), pascal(v), d.to_owned()));
        }
        Kind::Enum(out)
    } else if schema.get("oneOf").is_some() {
        Kind::Union(union(spec, schema)?)
    } else {
        let members = members(spec, schema)?;
        if schema.flag("x-rust-abstract") {
            Kind::Abstract(members)
        } else {
            Kind::Struct(members)
        }
    };
    Ok(TypeDef {
        key: key.to_owned(),
        name,
        module,
        role,
        doc,
        kind,
    })
}

/// The members of an object schema, `allOf` flattened (base first).
fn members(spec: &Json, schema: &Json) -> Result<Vec<Member>, String> {
    let mut out = Vec::new();
    if let Some(all) = schema.get("allOf") {
        for part in all.as_arr() {
            match part.str_of("$ref") {
                Some(r) => {
                    let base = spec
                        .pointer(r)
                        .ok_or_else(|| format!("dangling $ref `{r}`"))?;
                    merge(&mut out, members(spec, base)?);
                }
                None => merge(&mut out, members(spec, part)?),
            }
        }
        return Ok(out);
    }
    let required: Vec<&str> = schema
        .get("required")
        .map(|r| r.as_arr().iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    for (wire, p) in schema.get("properties").map(Json::as_obj).unwrap_or(&[]) {
        if let Some(value) = p.get("const") {
            out.push(Member::Const {
                wire: wire.clone(),
                value: value.clone(),
            });
            continue;
        }
        let name = p.str_of("x-rust-name").unwrap_or(wire).to_owned();
        out.push(Member::Field(Field {
            wire: wire.clone(),
            name,
            doc: doc_of(p, &format!("property `{wire}`"))?,
            ty: ty(p).map_err(|e| format!("property `{wire}`: {e}"))?,
            required: required.contains(&wire.as_str()),
            default: p.flag("x-rust-default"),
            secret: p.flag("x-secret"),
            pii: p.flag("x-pii"),
            always: p.flag("x-always-send"),
            singular: p.str_of("x-rust-singular").map(str::to_owned),
        }));
    }
    Ok(out)
}

/// Adds members, a later one replacing an earlier one of the same wire name in place.
fn merge(out: &mut Vec<Member>, more: Vec<Member>) {
    for m in more {
        let wire = match &m {
            Member::Field(f) => f.wire.clone(),
            Member::Const { wire, .. } => wire.clone(),
        };
        let same = |x: &Member| match x {
            Member::Field(f) => f.wire == wire,
            Member::Const { wire: w, .. } => *w == wire,
        };
        match out.iter().position(same) {
            Some(i) => out[i] = m,
            None => out.push(m),
        }
    }
}

fn ty(p: &Json) -> Result<Ty, String> {
    if let Some(t) = p.str_of("x-rust-type") {
        return Ok(Ty::Custom(t.to_owned()));
    }
    if let Some(r) = p.str_of("$ref") {
        return Ok(Ty::Named(ref_key(r)?));
    }
    match p.str_of("type") {
        Some("string") => Ok(Ty::Str),
        Some("boolean") => Ok(Ty::Bool),
        Some("number") => Ok(Ty::F64),
        Some("integer") => match p.str_of("format") {
            Some("uint32") => Ok(Ty::U32),
            Some("uint64") | None => Ok(Ty::U64),
            Some("int32") => Ok(Ty::I32),
            Some("int64") => Ok(Ty::I64),
            Some(f) => Err(format!("unsupported integer format `{f}`")),
        },
        Some("array") => Ok(Ty::Vec(Box::new(ty(p
            .get("items")
            .ok_or("array without items")?)?))),
        Some("object") => match p.get("additionalProperties") {
            Some(Json::Bool(true)) => Ok(Ty::JsonMap),
            Some(values @ Json::Obj(_)) => Ok(Ty::Map(Box::new(ty(values)?))),
            _ => Err("inline objects are not supported: name them in components".into()),
        },
        None => Ok(Ty::Json),
        Some(t) => Err(format!("unsupported type `{t}`")),
    }
}

fn union(spec: &Json, schema: &Json) -> Result<Union, String> {
    let disc = schema
        .get("discriminator")
        .and_then(|d| d.str_of("propertyName"))
        .ok_or("oneOf without discriminator.propertyName")?
        .to_owned();
    let envelope = schema.get("x-rust-envelope").is_some();
    let mut variants = Vec::new();
    for item in schema.get("oneOf").map(Json::as_arr).unwrap_or(&[]) {
        if envelope {
            let tag = item
                .get("properties")
                .and_then(|p| p.get(&disc))
                .and_then(|d| d.str_of("const"))
                .ok_or("envelope item without a const discriminator")?;
            let config = item
                .get("properties")
                .and_then(|p| p.get("config"))
                .and_then(|c| c.str_of("$ref"))
                .ok_or("envelope item without a config $ref")?;
            variants.push(Variant {
                tag: tag.to_owned(),
                ident: pascal(tag),
                payload: ref_key(config)?,
                doc: doc_of(item, "an envelope item")?,
            });
        } else {
            let r = item.str_of("$ref").ok_or("oneOf items must be $refs")?;
            let target = spec
                .pointer(r)
                .ok_or_else(|| format!("dangling $ref `{r}`"))?;
            let tag = const_of(spec, target, &disc)?
                .ok_or_else(|| format!("`{r}` has no const `{disc}`"))?;
            variants.push(Variant {
                ident: pascal(&tag),
                tag,
                payload: ref_key(r)?,
                doc: doc_of(target, r)?,
            });
        }
    }
    if !envelope {
        // the discriminator mapping must agree with the variants' constants
        let mapping = schema
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .ok_or("discriminator without mapping")?;
        for v in &variants {
            let r = mapping
                .str_of(&v.tag)
                .ok_or_else(|| format!("no mapping for `{}`", v.tag))?;
            if ref_key(r)? != v.payload {
                return Err(format!("mapping of `{}` disagrees with oneOf", v.tag));
            }
        }
    }
    let custom = match schema.get("x-rust-custom-variant") {
        Some(c) => Some((
            c.str_of("name")
                .ok_or("x-rust-custom-variant.name")?
                .to_owned(),
            c.str_of("tag-field")
                .ok_or("x-rust-custom-variant.tag-field")?
                .to_owned(),
            c.str_of("tag-doc")
                .ok_or("x-rust-custom-variant.tag-doc")?
                .to_owned(),
        )),
        None => None,
    };
    let base = schema.str_of("x-rust-base").map(ref_key).transpose()?;
    let unknown = schema.str_of("x-rust-unknown").map(str::to_owned);
    if base.is_some() != unknown.is_some() {
        return Err("x-rust-base and x-rust-unknown go together".into());
    }
    Ok(Union {
        disc,
        variants,
        envelope,
        custom,
        base,
        unknown,
    })
}

/// The `const` value of property `prop` of a schema (through `allOf`).
fn const_of(spec: &Json, schema: &Json, prop: &str) -> Result<Option<String>, String> {
    for m in members(spec, schema)? {
        if let Member::Const { wire, value } = m
            && wire == prop
        {
            return Ok(value.as_str().map(str::to_owned));
        }
    }
    Ok(None)
}

/// `ID_DOCUMENT_AUTHENTICITY` → `IdDocumentAuthenticity`, `ADVERSE-MEDIA` → `AdverseMedia`.
pub(crate) fn pascal(s: &str) -> String {
    let mut out = String::new();
    for word in s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "unsafe", "use", "where", "while", "yield",
];

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

fn validate(model: &Model) -> Result<(), String> {
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for t in &model.types {
        let mut own = vec![t.name.as_str()];
        if let Kind::Union(u) = &t.kind {
            own.extend(u.unknown.as_deref());
        }
        for n in own {
            if !is_ident(n) {
                return Err(format!("`{}`: `{n}` is not a Rust identifier", t.key));
            }
            if !matches!(t.kind, Kind::Abstract(_))
                && let Some(other) = names.insert(n, &t.key)
            {
                return Err(format!("Rust name `{n}` used by `{other}` and `{}`", t.key));
            }
        }
        for f in t.fields() {
            if !is_ident(&f.name) || f.name.chars().any(|c| c.is_ascii_uppercase()) {
                return Err(format!(
                    "`{}.{}`: `{}` is not a snake_case identifier (set x-rust-name)",
                    t.key, f.wire, f.name
                ));
            }
            check_refs(model, &t.key, &f.ty)?;
            if let Ty::Named(k) = &f.ty
                && f.default
                && t.role == Role::Response
                && !model.has_default(k)
            {
                return Err(format!(
                    "`{}.{}`: x-rust-default on a type without Default",
                    t.key, f.wire
                ));
            }
        }
        if let Kind::Union(u) = &t.kind {
            for v in &u.variants {
                if !model.index.contains_key(&v.payload) {
                    return Err(format!(
                        "`{}`: unknown variant payload `{}`",
                        t.key, v.payload
                    ));
                }
            }
            if let Some(base) = &u.base {
                let b = model
                    .index
                    .get(base)
                    .map(|&i| &model.types[i])
                    .ok_or_else(|| format!("`{}`: unknown base `{base}`", t.key))?;
                let disc = b
                    .fields()
                    .find(|f| f.wire == u.disc)
                    .ok_or_else(|| format!("`{}`: the base has no `{}` field", t.key, u.disc))?;
                let Ty::Named(enum_key) = &disc.ty else {
                    return Err(format!(
                        "`{}`: the base's discriminator must be an enum",
                        t.key
                    ));
                };
                let Kind::Enum(values) = &model.get(enum_key).kind else {
                    return Err(format!(
                        "`{}`: the base's discriminator must be an enum",
                        t.key
                    ));
                };
                for v in &u.variants {
                    if !values.iter().any(|(w, _, _)| *w == v.tag) {
                        return Err(format!(
                            "`{}`: `{}` is missing from `{enum_key}`",
                            t.key, v.tag
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

fn check_refs(model: &Model, at: &str, ty: &Ty) -> Result<(), String> {
    match ty {
        Ty::Named(k) if !model.index.contains_key(k) => Err(format!(
            "`{at}` refers to `{k}`, which is skipped or missing"
        )),
        Ty::Vec(t) | Ty::Map(t) => check_refs(model, at, t),
        _ => Ok(()),
    }
}
