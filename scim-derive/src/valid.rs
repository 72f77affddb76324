//! Rules that span keys or fields. Each `check_*` records its errors and goes on.

use std::collections::HashMap;

use crate::ast::{Common, Field, Input, Kind, Role};
use crate::attr::{Ctxt, ScimType};

pub(crate) fn check(cx: &Ctxt, input: &Input<'_>) {
    check_container_keys(cx, input);
    check_schema_urn(cx, input);
    for field in &input.fields {
        check_schemas_field(cx, field);
        check_field_roles(cx, input, field);
        check_common(cx, field);
        check_common_type(cx, field);
        check_wire_name(cx, field);
        check_special_type(cx, field);
        check_reference_types(cx, field);
    }
    check_duplicate_names(cx, input);
    check_single(cx, input, Role::Unknown, "unknown");
}

/// `schema` is required on resources and extensions and refused on complex types;
/// `resource_type` and `endpoint` only make sense on resources.
fn check_container_keys(cx: &Ctxt, input: &Input<'_>) {
    for (key, span) in &input.attrs.written {
        let misplaced = match (input.kind, key.as_str()) {
            (Kind::Complex, "schema") => Some(
                "`#[scim(schema)]` belongs on `ScimResource` or `ScimExtension`, not on `ScimComplex`",
            ),
            (Kind::Extension | Kind::Complex, "resource_type") => {
                Some("`#[scim(resource_type)]` belongs on `ScimResource` only")
            }
            (Kind::Extension | Kind::Complex, "endpoint") => {
                Some("`#[scim(endpoint)]` belongs on `ScimResource` only")
            }
            _ => None,
        };
        if let Some(msg) = misplaced {
            cx.error(*span, msg);
        }
    }
    if let Some(e) = &input.attrs.endpoint
        && !e.value().starts_with('/')
    {
        cx.error(e.span(), "an endpoint starts with `/`, such as \"/Users\"");
    }
}

/// Resources and extensions need a schema URN.
fn check_schema_urn(cx: &Ctxt, input: &Input<'_>) {
    if input.kind == Kind::Complex {
        return;
    }
    match &input.attrs.schema {
        None => cx.error(
            input.original.ident.span(),
            format!(
                "`{}` needs a schema URN: add `#[scim(schema = \"urn:...\")]`",
                input.kind.derive_name()
            ),
        ),
        Some(s) => {
            let v = s.value();
            if !v.to_ascii_lowercase().starts_with("urn:") || v.len() <= 4 || v.ends_with(':') {
                cx.error(
                    s.span(),
                    "a schema must be a URN such as \"urn:ietf:params:scim:schemas:core:2.0:User\"",
                );
            }
        }
    }
}

/// `schemas` is produced from the schema and the extensions present; it is never a field.
fn check_schemas_field(cx: &Ctxt, field: &Field<'_>) {
    if field.role == Role::Attribute && field.wire.eq_ignore_ascii_case("schemas") {
        cx.error(
            field.ident.span(),
            "`schemas` is produced from the schema URN and the extensions present; remove this field",
        );
    }
}

/// `extension`, `unknown` and `skip` take no other key; extensions only go on resources.
fn check_field_roles(cx: &Ctxt, input: &Input<'_>, field: &Field<'_>) {
    let a = &field.attrs;
    let special = [
        ("extension", a.extension),
        ("unknown", a.unknown),
        ("skip", a.skip),
    ];
    let set: Vec<_> = special.iter().filter(|(_, s)| s.is_some()).collect();
    if set.len() > 1 {
        cx.error(
            field.ident.span(),
            format!("`{}` and `{}` cannot be used together", set[0].0, set[1].0),
        );
        return;
    }
    if let Some((name, _)) = set.first() {
        for (key, span) in &a.written {
            if key != name && !(*name == "extension" && key == "required") {
                cx.error(
                    *span,
                    format!("`{key}` has no meaning on a `#[scim({name})]` field"),
                );
            }
        }
    }
    if let Some(span) = a.extension
        && input.kind != Kind::Resource
    {
        cx.error(
            span,
            "`#[scim(extension)]` fields belong on `ScimResource` types only",
        );
    }
}

/// `id`, `externalId` and `meta` have fixed characteristics (RFC 7643 section 3.1).
fn check_common(cx: &Ctxt, field: &Field<'_>) {
    if let Role::Common(_) = field.role {
        for (key, span) in &field.attrs.written {
            if key != "description" {
                cx.error(
                    *span,
                    format!(
                        "`{}` is a common attribute with fixed characteristics (RFC 7643 section 3.1); `{key}` cannot change them",
                        field.wire
                    ),
                );
            }
        }
    }
}

/// `id` and `meta` have fixed types, which the generated accessors rely on (`Resource::id`,
/// `Resource::meta`); rustc would report a wrong one inside generated code. As for extension
/// fields, only the types that can never fit are refused here; rustc catches the rest.
fn check_common_type(cx: &Ctxt, field: &Field<'_>) {
    let (name, expected, fits): (_, _, fn(&str) -> bool) = match field.role {
        Role::Common(Common::Id) => ("id", "`Option<String>` or `String`", |t| t == "String"),
        Role::Common(Common::Meta) => ("meta", "`Option<scim_client::model::Meta>`", |t| {
            t == "Meta"
        }),
        _ => return,
    };
    let Some((outer_name, arg)) = outer(field.ty) else {
        return;
    };
    let known = |t: &str| VALUE_TYPES.contains(&t) || t == "Meta";
    let wrong = match (outer_name.as_str(), arg.and_then(outer)) {
        ("Option", Some((inner, _))) => known(&inner) && !fits(&inner),
        ("Option", None) => false,
        // `String` for `id`; a bare `Meta` is wrong.
        (other, _) => known(other) && !(name == "id" && other == "String"),
    };
    if wrong {
        cx.push(syn::Error::new_spanned(
            field.ty,
            format!("the common attribute `{name}` (RFC 7643 section 3.1) is an {expected}"),
        ));
    }
}

/// RFC 7643 section 2.1: `ATTRNAME = ALPHA *(nameChar)`, plus SCIM's `$ref`.
fn check_wire_name(cx: &Ctxt, field: &Field<'_>) {
    if field.role != Role::Attribute {
        return;
    }
    let w = &field.wire;
    let ok = w == "$ref"
        || (w.starts_with(|c: char| c.is_ascii_alphabetic())
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    if !ok {
        let span = field
            .attrs
            .rename
            .as_ref()
            .map_or_else(|| field.ident.span(), syn::LitStr::span);
        cx.error(span, format!("`{w}` is not a valid SCIM attribute name (RFC 7643 section 2.1: a letter, then letters, digits, `_` or `-`)"));
    }
}

/// Two fields with one wire name, compared case-insensitively as SCIM does.
fn check_duplicate_names(cx: &Ctxt, input: &Input<'_>) {
    let mut seen: HashMap<String, &Field<'_>> = HashMap::new();
    for field in input
        .fields
        .iter()
        .filter(|f| matches!(f.role, Role::Attribute | Role::Common(_)))
    {
        let key = field.wire.to_ascii_lowercase();
        if let Some(first) = seen.get(&key) {
            // The name as written: the `rename` value, or the field name it comes from.
            let span = field
                .attrs
                .rename
                .as_ref()
                .map_or_else(|| field.ident.span(), syn::LitStr::span);
            cx.error(
                span,
                format!(
                    "duplicate SCIM attribute name `{}`: field `{}` already uses `{}` (names are case-insensitive)",
                    field.wire, first.ident, first.wire
                ),
            );
        } else {
            seen.insert(key, field);
        }
    }
}

fn check_single(cx: &Ctxt, input: &Input<'_>, role: Role, key: &str) {
    for extra in input.fields.iter().filter(|f| f.role == role).skip(1) {
        cx.error(
            extra.ident.span(),
            format!("only one field may be `#[scim({key})]`"),
        );
    }
}

/// The last path segment of a type and its first generic type argument: `Option<String>` gives
/// (`Option`, `String`), `serde_json::Map<K, V>` gives (`Map`, `K`).
fn outer(ty: &syn::Type) -> Option<(String, Option<&syn::Type>)> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    let arg = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((last.ident.to_string(), arg))
}

/// Types that hold attribute values or JSON, never an extension (nor, but for `Map`, the
/// unknown map).
const VALUE_TYPES: &[&str] = &[
    "String",
    "str",
    "bool",
    "i32",
    "i64",
    "u32",
    "f64",
    "Timestamp",
    "Binary",
    "Reference",
    "Vec",
    "Option",
    "Value",
    "Map",
    "HashMap",
    "BTreeMap",
];

/// `#[scim(extension)]` and `#[scim(unknown)]` fields have fixed shapes. The trait errors
/// rustc gives for a wrong type point into generated code, so the types that can never fit are
/// refused here with the expected shape; anything this cannot see (an alias) is still caught
/// by rustc.
fn check_special_type(cx: &Ctxt, field: &Field<'_>) {
    let a = &field.attrs;
    if [a.extension, a.unknown, a.skip].iter().flatten().count() > 1 {
        // Conflicting roles are reported by `check_field_roles`.
        return;
    }
    let Some((name, arg)) = outer(field.ty) else {
        return;
    };
    match field.role {
        Role::Extension => {
            let inner = arg.and_then(outer).map(|(n, _)| n);
            let holds_value = match (name.as_str(), inner) {
                ("Option", Some(inner)) => VALUE_TYPES.contains(&inner.as_str()),
                ("Option", None) => false,
                (other, _) => VALUE_TYPES.contains(&other),
            };
            if holds_value {
                cx.push(syn::Error::new_spanned(
                    field.ty,
                    "an extension field is `Option<X>` where `X` derives `ScimExtension`, or `Extensions<E>`; \
                     for an attribute value, remove `#[scim(extension)]`",
                ));
            }
        }
        Role::Unknown if name != "Map" && VALUE_TYPES.contains(&name.as_str()) => {
            cx.push(syn::Error::new_spanned(
                field.ty,
                "a `#[scim(unknown)]` field is a `serde_json::Map<String, serde_json::Value>`",
            ));
        }
        _ => {}
    }
}

/// RFC 7643 section 7: `referenceTypes` only applies to attributes of type `reference`.
fn check_reference_types(cx: &Ctxt, field: &Field<'_>) {
    let a = &field.attrs;
    if let (Some(refs), Some(ty)) = (&a.reference_types, &a.ty)
        && ty.value != ScimType::Reference
    {
        cx.error(
            refs.span,
            format!(
                "`reference_types` only applies to attributes of type `reference`, and this one has `type = \"{}\"`",
                ty.value.name()
            ),
        );
    }
}
