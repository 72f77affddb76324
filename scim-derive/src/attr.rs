//! `#[scim(...)]` parsing into plain values. Every mistake is recorded in the [`Ctxt`] and
//! parsing goes on, so all errors are reported at once.

use std::cell::RefCell;

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, LitBool, LitStr, Token};

use crate::case;

/// Collects errors; [`Ctxt::check`] turns them into one combined error.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    pub(crate) fn error(&self, span: Span, msg: impl std::fmt::Display) {
        self.errors.borrow_mut().push(syn::Error::new(span, msg));
    }

    pub(crate) fn push(&self, e: syn::Error) {
        self.errors.borrow_mut().push(e);
    }

    pub(crate) fn check(self) -> Result<(), syn::Error> {
        let mut errors = self.errors.into_inner().into_iter();
        let Some(mut first) = errors.next() else {
            return Ok(());
        };
        for e in errors {
            first.combine(e);
        }
        Err(first)
    }
}

/// A value and the span it was written at.
#[derive(Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// `mutability = "..."`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mutability {
    ReadOnly,
    ReadWrite,
    Immutable,
    WriteOnly,
}

/// `returned = "..."`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Returned {
    Always,
    Never,
    Default,
    Request,
}

/// `uniqueness = "..."`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Uniqueness {
    None,
    Server,
    Global,
}

/// `type = "..."`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScimType {
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}

impl ScimType {
    /// The name as written in `type = "..."`.
    pub(crate) fn name(self) -> &'static str {
        TYPES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("", |(n, _)| *n)
    }
}

const MUTABILITY: &[(&str, Mutability)] = &[
    ("readOnly", Mutability::ReadOnly),
    ("readWrite", Mutability::ReadWrite),
    ("immutable", Mutability::Immutable),
    ("writeOnly", Mutability::WriteOnly),
];
const RETURNED: &[(&str, Returned)] = &[
    ("always", Returned::Always),
    ("never", Returned::Never),
    ("default", Returned::Default),
    ("request", Returned::Request),
];
const UNIQUENESS: &[(&str, Uniqueness)] = &[
    ("none", Uniqueness::None),
    ("server", Uniqueness::Server),
    ("global", Uniqueness::Global),
];
const TYPES: &[(&str, ScimType)] = &[
    ("string", ScimType::String),
    ("boolean", ScimType::Boolean),
    ("decimal", ScimType::Decimal),
    ("integer", ScimType::Integer),
    ("dateTime", ScimType::DateTime),
    ("binary", ScimType::Binary),
    ("reference", ScimType::Reference),
    ("complex", ScimType::Complex),
];

/// Keys allowed on the struct.
pub(crate) const CONTAINER_KEYS: &[&str] = &[
    "schema",
    "name",
    "resource_type",
    "endpoint",
    "description",
    "crate",
];

/// Keys allowed on a field.
pub(crate) const FIELD_KEYS: &[&str] = &[
    "rename",
    "required",
    "case_exact",
    "mutability",
    "returned",
    "uniqueness",
    "canonical_values",
    "reference_types",
    "type",
    "description",
    "extension",
    "unknown",
    "skip",
];

/// The struct-level keys.
#[derive(Default)]
pub(crate) struct Container {
    pub(crate) schema: Option<LitStr>,
    pub(crate) name: Option<LitStr>,
    pub(crate) resource_type: Option<LitStr>,
    pub(crate) endpoint: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) krate: Option<syn::Path>,
    /// Every key written, with its span, for kind-specific checks.
    pub(crate) written: Vec<(String, Span)>,
}

/// The field-level keys.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) required: Option<Spanned<bool>>,
    pub(crate) case_exact: Option<Spanned<bool>>,
    pub(crate) mutability: Option<Spanned<Mutability>>,
    pub(crate) returned: Option<Spanned<Returned>>,
    pub(crate) uniqueness: Option<Spanned<Uniqueness>>,
    pub(crate) canonical_values: Option<Spanned<Vec<LitStr>>>,
    pub(crate) reference_types: Option<Spanned<Vec<LitStr>>>,
    pub(crate) ty: Option<Spanned<ScimType>>,
    pub(crate) description: Option<LitStr>,
    pub(crate) extension: Option<Span>,
    pub(crate) unknown: Option<Span>,
    pub(crate) skip: Option<Span>,
    /// Every key written, with its span.
    pub(crate) written: Vec<(String, Span)>,
}

/// The closest of `candidates` to `word`: a likely typo ([`case::suggest`]), else the one
/// candidate that shares the longest prefix (4 characters or more) with it, so that
/// `mutable` finds `mutability` and `canonical` finds `canonical_values`.
fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if let Some(s) = case::suggest(word, candidates) {
        return Some(s);
    }
    let common = |c: &str| {
        word.chars()
            .zip(c.chars())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
    };
    let best = candidates.iter().map(|c| common(c)).max()?;
    let mut at_best = candidates.iter().filter(|c| common(c) == best);
    match (at_best.next(), at_best.next()) {
        (Some(c), None) if best >= 4 => Some(c),
        _ => None,
    }
}

fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta<'_>, allowed: &[&str], other_place: &[&str]) {
    let key = meta
        .path
        .get_ident()
        .map_or_else(|| "?".to_owned(), ToString::to_string);
    let path = &meta.path;
    let span = path.span();
    if other_place.contains(&key.as_str()) {
        let place = if allowed == FIELD_KEYS {
            "the struct, not on a field"
        } else {
            "a field, not on the struct"
        };
        cx.error(span, format!("`#[scim({key})]` belongs on {place}"));
    } else if let Some(s) = suggest(&key, allowed) {
        cx.error(
            span,
            format!("unknown scim attribute `{key}`, did you mean `{s}`?"),
        );
    } else {
        cx.error(
            span,
            format!(
                "unknown scim attribute `{key}`, expected one of {}",
                allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    // Consume any value so parsing can go on with the next key.
    if meta.input.peek(Token![=]) {
        let _ = meta
            .value()
            .and_then(syn::parse::ParseBuffer::parse::<syn::Expr>);
    } else if meta.input.peek(syn::token::Paren) {
        let _ = meta.parse_nested_meta(|m| {
            if m.input.peek(Token![=]) {
                let _ = m.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
}

fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, value: T, key: &str, span: Span) {
    if slot.is_some() {
        cx.error(span, format!("duplicate scim attribute `{key}`"));
    } else {
        *slot = Some(value);
    }
}

fn lit_str(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

fn enum_value<T: Copy>(cx: &Ctxt, lit: &LitStr, table: &[(&str, T)]) -> Option<T> {
    let s = lit.value();
    if let Some((_, v)) = table.iter().find(|(n, _)| *n == s) {
        return Some(*v);
    }
    let expected = table
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
    match suggest(&s, &names) {
        Some(g) => cx.error(
            lit.span(),
            format!("expected one of {expected}; did you mean `{g}`?"),
        ),
        None => cx.error(lit.span(), format!("expected one of {expected}")),
    }
    None
}

/// `key` or `key = true|false`.
fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) {
        Ok(meta.value()?.parse::<LitBool>()?.value)
    } else {
        Ok(true)
    }
}

/// `key = ["a", "b"]`.
fn str_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<LitStr>> {
    let value = meta.value()?;
    let content;
    syn::bracketed!(content in value);
    let items = content.parse_terminated(syn::parse::ParseBuffer::parse::<LitStr>, Token![,])?;
    Ok(items.into_iter().collect())
}

/// Parses the `#[scim(...)]` attributes of the struct.
pub(crate) fn container(cx: &Ctxt, attrs: &[Attribute]) -> Container {
    let mut c = Container::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("scim")) {
        let res = attr.parse_nested_meta(|meta| {
            let span = meta.path.span();
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "schema" => set_once(cx, &mut c.schema, lit_str(&meta)?, "schema", span),
                "name" => set_once(cx, &mut c.name, lit_str(&meta)?, "name", span),
                "resource_type" => set_once(
                    cx,
                    &mut c.resource_type,
                    lit_str(&meta)?,
                    "resource_type",
                    span,
                ),
                "endpoint" => set_once(cx, &mut c.endpoint, lit_str(&meta)?, "endpoint", span),
                "description" => {
                    set_once(cx, &mut c.description, lit_str(&meta)?, "description", span);
                }
                "crate" => {
                    let lit = lit_str(&meta)?;
                    match lit.parse::<syn::Path>() {
                        Ok(p) => set_once(cx, &mut c.krate, p, "crate", span),
                        Err(_) => cx.error(lit.span(), "expected a path such as `::scim_client`"),
                    }
                }
                _ => {
                    unknown_key(cx, &meta, CONTAINER_KEYS, FIELD_KEYS);
                    return Ok(());
                }
            }
            c.written.push((key, span));
            Ok(())
        });
        if let Err(e) = res {
            cx.push(e);
        }
    }
    c
}

/// Parses the `#[scim(...)]` attributes of a field.
pub(crate) fn field(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut f = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("scim")) {
        let res = attr.parse_nested_meta(|meta| {
            let span = meta.path.span();
            let key = if meta.path.is_ident("type") {
                "type".to_owned()
            } else {
                meta.path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            };
            match key.as_str() {
                "rename" => set_once(cx, &mut f.rename, lit_str(&meta)?, "rename", span),
                "required" => {
                    let value = flag(&meta)?;
                    set_once(
                        cx,
                        &mut f.required,
                        Spanned { value, span },
                        "required",
                        span,
                    );
                }
                "case_exact" => {
                    let value = flag(&meta)?;
                    set_once(
                        cx,
                        &mut f.case_exact,
                        Spanned { value, span },
                        "case_exact",
                        span,
                    );
                }
                "mutability" => {
                    let lit = lit_str(&meta)?;
                    if let Some(value) = enum_value(cx, &lit, MUTABILITY) {
                        let s = Spanned {
                            value,
                            span: lit.span(),
                        };
                        set_once(cx, &mut f.mutability, s, "mutability", span);
                    }
                }
                "returned" => {
                    let lit = lit_str(&meta)?;
                    if let Some(value) = enum_value(cx, &lit, RETURNED) {
                        let s = Spanned {
                            value,
                            span: lit.span(),
                        };
                        set_once(cx, &mut f.returned, s, "returned", span);
                    }
                }
                "uniqueness" => {
                    let lit = lit_str(&meta)?;
                    if let Some(value) = enum_value(cx, &lit, UNIQUENESS) {
                        let s = Spanned {
                            value,
                            span: lit.span(),
                        };
                        set_once(cx, &mut f.uniqueness, s, "uniqueness", span);
                    }
                }
                "type" => {
                    let lit = lit_str(&meta)?;
                    if let Some(value) = enum_value(cx, &lit, TYPES) {
                        set_once(
                            cx,
                            &mut f.ty,
                            Spanned {
                                value,
                                span: lit.span(),
                            },
                            "type",
                            span,
                        );
                    }
                }
                "canonical_values" => {
                    let value = str_list(&meta)?;
                    let s = Spanned { value, span };
                    set_once(cx, &mut f.canonical_values, s, "canonical_values", span);
                }
                "reference_types" => {
                    let value = str_list(&meta)?;
                    let s = Spanned { value, span };
                    set_once(cx, &mut f.reference_types, s, "reference_types", span);
                }
                "description" => {
                    set_once(cx, &mut f.description, lit_str(&meta)?, "description", span);
                }
                "extension" => set_once(cx, &mut f.extension, span, "extension", span),
                "unknown" => set_once(cx, &mut f.unknown, span, "unknown", span),
                "skip" => set_once(cx, &mut f.skip, span, "skip", span),
                _ => {
                    unknown_key(cx, &meta, FIELD_KEYS, CONTAINER_KEYS);
                    return Ok(());
                }
            }
            f.written.push((key, span));
            Ok(())
        });
        if let Err(e) = res {
            cx.push(e);
        }
    }
    f
}

/// The doc comment as one description string: lines trimmed and joined with spaces.
pub(crate) fn doc(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            lines.push(s.value().trim().to_owned());
        }
    }
    let text = lines
        .iter()
        .filter(|l| !l.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn field_of(f: &syn::Field) -> (FieldAttrs, Result<(), syn::Error>) {
        let cx = Ctxt::default();
        let a = field(&cx, &f.attrs);
        (a, cx.check())
    }

    #[test]
    fn parses_every_field_key() {
        let (a, r) = field_of(&parse_quote! {
            #[scim(rename = "$ref", required, case_exact = false, mutability = "readOnly",
                   returned = "always", uniqueness = "server", canonical_values = ["work", "home"],
                   reference_types = ["User"], type = "reference", description = "d")]
            x: String
        });
        assert!(r.is_ok());
        assert_eq!(a.rename.map(|l| l.value()).as_deref(), Some("$ref"));
        assert!(a.required.is_some_and(|r| r.value));
        assert!(a.case_exact.is_some_and(|r| !r.value));
        assert!(
            a.mutability
                .is_some_and(|m| m.value == Mutability::ReadOnly)
        );
        assert!(a.returned.is_some_and(|m| m.value == Returned::Always));
        assert!(a.uniqueness.is_some_and(|m| m.value == Uniqueness::Server));
        assert_eq!(a.canonical_values.map(|v| v.value.len()), Some(2));
        assert!(a.ty.is_some_and(|t| t.value == ScimType::Reference));
    }

    #[test]
    fn collects_every_error() {
        let (_, r) = field_of(&parse_quote! {
            #[scim(mutable = "readOnly", returned = "sometimes", uniqueness = "unique", required, required)]
            x: String
        });
        let e = r.expect_err("errors");
        let msgs: Vec<String> = e.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("did you mean `mutability`"));
        assert!(msgs[1].contains("`always`"));
        assert!(msgs[3].contains("duplicate"));
    }

    #[test]
    fn suggests_by_typo_or_shared_prefix() {
        assert_eq!(suggest("mutable", FIELD_KEYS), Some("mutability"));
        assert_eq!(suggest("canonical", FIELD_KEYS), Some("canonical_values"));
        assert_eq!(suggest("caseExact", FIELD_KEYS), Some("case_exact"));
        assert_eq!(suggest("resource", CONTAINER_KEYS), Some("resource_type"));
        // Too short, or shared equally by two keys: no guess.
        assert_eq!(suggest("ren", FIELD_KEYS), None);
        assert_eq!(suggest("read", &["readOnly", "readWrite"]), None);
        assert_eq!(suggest("version", CONTAINER_KEYS), None);
    }

    #[test]
    fn doc_comments_become_descriptions() {
        let f: syn::Field = parse_quote! {
            /// Unique identifier for the User,
            /// typically used by the user.
            x: String
        };
        assert_eq!(
            doc(&f.attrs).as_deref(),
            Some("Unique identifier for the User, typically used by the user.")
        );
    }
}
