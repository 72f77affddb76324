//! Rules that span keys or fields. Each `check_*` records its errors and goes on.

use std::collections::HashMap;

use syn::spanned::Spanned;

use crate::ast::{Field, Input, Kind, Role};
use crate::attr::Ctxt;

pub(crate) fn check(cx: &Ctxt, input: &Input<'_>) {
    check_container_keys(cx, input);
    check_schema_urn(cx, input);
    for field in &input.fields {
        check_schemas_field(cx, field);
        check_field_roles(cx, input, field);
        check_common(cx, field);
        check_wire_name(cx, field);
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
    if let Some(e) = &input.attrs.endpoint {
        if !e.value().starts_with('/') {
            cx.error(e.span(), "an endpoint starts with `/`, such as \"/Users\"");
        }
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
    if let Some(span) = a.extension {
        if input.kind != Kind::Resource {
            cx.error(
                span,
                "`#[scim(extension)]` fields belong on `ScimResource` types only",
            );
        }
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
            cx.error(
                field.original.span(),
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
