//! [`diff`]: the PATCH operations that turn one state of a resource into another.

use serde_json::{Map, Value};

use super::Schemas;
use super::apply::{canon_value, element_matches};
use crate::filter::{CompValue, Filter};
use crate::path::{AttrPath, PatchPath};
use crate::protocol::{PatchOp, PatchOperation};
use crate::schema::{Attribute, AttributeType, Mutability, SchemaDef};
use crate::value::{get_ci, json_is_empty};

/// The operations that turn `old` into `new` (two JSON states of one resource), on every
/// writable attribute the schemas define: [`apply`](super::apply)ing the result to `old`
/// gives `new` on those attributes.
///
/// `readOnly` attributes and sub-attributes, `id`, `meta` and `schemas` are left out, as are
/// attributes the schemas do not define. Values are compared after the normalization
/// `apply` does (schema spelling of names, no `null` members); an empty value (`null`, `[]`,
/// `{}`) counts as absent.
///
/// - An attribute that appeared is `add`ed; one that disappeared is `remove`d.
/// - A changed single-valued attribute is `replace`d; for a complex one, each changed
///   sub-attribute is (`name.givenName`), and each dropped one removed. Operations follow the
///   schema's order of attributes.
/// - A changed multi-valued attribute whose values all have a `value` sub-attribute is
///   updated value by value: `remove` with a value filter (`emails[value eq "x"]`) for each
///   value that left, one `add` for those that arrived. The filter's value is printed by the
///   filter module, so no value can change the filter's structure. When that cannot give
///   exactly `new` (no value kept, values a filter cannot tell apart, a new order, duplicate
///   values), the whole list is `replace`d instead.
/// - Extension attributes get URN-qualified paths
///   (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`).
///
/// The result follows the schemas, not the service provider's rules: a changed `immutable`
/// attribute or a dropped `required` one gets its operation, which `apply` (like a server)
/// then refuses with a `mutability` error.
///
/// ```
/// use scim_client::model::{EnterpriseUser, User};
/// use scim_client::patch::{self, Schemas};
/// use serde_json::json;
///
/// const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// let old = json!({
///     "id": "2819c223", "userName": "bjensen", "name": {"givenName": "Barbara", "familyName": "Jensen"},
///     "emails": [{"value": "bjensen@example.com", "type": "work"}, {"value": "babs@jensen.org"}],
/// });
/// let new = json!({
///     "id": "other", "userName": "bjensen", "name": {"givenName": "Babs"},
///     "emails": [{"value": "bjensen@example.com", "type": "work"}, {"value": "b\"abs@example.com"}],
///     ENTERPRISE: {"department": "Tours"},
/// });
/// let schemas = Schemas::of::<User<EnterpriseUser>>();
/// let ops = patch::diff(&old, &new, &schemas);
/// assert_eq!(serde_json::to_value(&ops)?["Operations"], json!([
///     {"op": "remove", "path": "name.familyName"},
///     {"op": "replace", "path": "name.givenName", "value": "Babs"},
///     {"op": "remove", "path": "emails[value eq \"babs@jensen.org\"]"},
///     {"op": "add", "path": "emails", "value": [{"value": "b\"abs@example.com"}]},
///     {"op": "add", "path": format!("{ENTERPRISE}:department"), "value": "Tours"},
/// ]));
/// let mut patched = old.clone();
/// patch::apply(&mut patched, &ops, &schemas)?;
/// assert_eq!(patched["emails"], new["emails"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn diff(old: &Value, new: &Value, schemas: &Schemas<'_>) -> PatchOp {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut ops = Vec::new();
    for a in schemas.core_attributes() {
        let common = ["id", "meta", "schemas"]
            .iter()
            .any(|n| a.name.eq_ignore_ascii_case(n));
        if !common && a.mutability != Mutability::ReadOnly {
            diff_attribute(&mut ops, None, a, old, new);
        }
    }
    for ext in schemas.extensions() {
        let old = get_ci(old, &ext.id)
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new = get_ci(new, &ext.id)
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for a in ext.attributes.iter() {
            if a.mutability != Mutability::ReadOnly {
                diff_attribute(&mut ops, Some(ext), a, old, new);
            }
        }
    }
    ops.into_iter().collect()
}

/// The value of `a` in `obj`, normalized as `apply` writes it; `None` when absent or empty.
fn present(a: &Attribute, obj: &Map<String, Value>) -> Option<Value> {
    let raw = get_ci(obj, &a.name)?;
    let value = canon_value(a, raw).unwrap_or_else(|_| raw.clone());
    (!json_is_empty(&value)).then_some(value)
}

fn diff_attribute(
    ops: &mut Vec<PatchOperation>,
    ext: Option<&SchemaDef>,
    a: &Attribute,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) {
    let path = path_text(ext, a, None);
    match (present(a, old), present(a, new)) {
        (None, None) => {}
        (Some(_), None) => ops.push(PatchOperation::remove(path)),
        (None, Some(new)) if new.as_array().is_some_and(|items| has_duplicates(items)) => {
            ops.push(PatchOperation::replace(path, new));
        }
        (None, Some(new)) => ops.push(PatchOperation::add(path, new)),
        (Some(old), Some(new)) if old == new => {}
        (Some(old), Some(new)) => match (&old, &new) {
            (Value::Array(old), Value::Array(new)) if a.multi_valued => {
                if let Some(by_value) = diff_values(ext, a, old, new) {
                    ops.extend(by_value);
                } else {
                    ops.push(PatchOperation::replace(path, Value::Array(new.clone())));
                }
            }
            (Value::Object(old_members), Value::Object(new_members))
                if a.ty == AttributeType::Complex && !a.multi_valued =>
            {
                diff_complex(ops, ext, a, old_members, new_members, &new);
            }
            _ => ops.push(PatchOperation::replace(path, new)),
        },
    }
}

/// A single-valued complex attribute, sub-attribute by sub-attribute.
fn diff_complex(
    ops: &mut Vec<PatchOperation>,
    ext: Option<&SchemaDef>,
    a: &Attribute,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    whole: &Value,
) {
    // Members the schema does not define have no path of their own: rewrite the attribute.
    let unknown = |obj: &Map<String, Value>| -> Map<String, Value> {
        obj.iter()
            .filter(|(k, _)| a.sub_attribute(k).is_none())
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect()
    };
    if unknown(old) != unknown(new) {
        let path = path_text(ext, a, None);
        ops.push(PatchOperation::remove(path.clone()));
        ops.push(PatchOperation::add(path, whole.clone()));
        return;
    }
    for sub in a.sub_attributes.iter() {
        if sub.mutability == Mutability::ReadOnly {
            continue;
        }
        let path = path_text(ext, a, Some(sub));
        match (present(sub, old), present(sub, new)) {
            (Some(_), None) => ops.push(PatchOperation::remove(path)),
            (None, Some(new)) => ops.push(PatchOperation::add(path, new)),
            (Some(old), Some(new)) if old != new => ops.push(PatchOperation::replace(path, new)),
            _ => {}
        }
    }
}

/// A multi-valued attribute, value by value: `None` when that cannot give exactly `new`.
fn diff_values(
    ext: Option<&SchemaDef>,
    a: &Attribute,
    old: &[Value],
    new: &[Value],
) -> Option<Vec<PatchOperation>> {
    if a.ty != AttributeType::Complex || has_duplicates(new) {
        return None;
    }
    let value_name = &a.sub_attribute("value")?.name;
    let value_of = |element: &Value| {
        element
            .as_object()
            .and_then(|o| get_ci(o, value_name))
            .and_then(comp_value)
    };
    if !old.iter().chain(new).all(|e| value_of(e).is_some()) {
        return None;
    }
    let kept: Vec<&Value> = old.iter().filter(|e| new.contains(e)).collect();
    let added: Vec<Value> = new.iter().filter(|e| !old.contains(e)).cloned().collect();
    // Removing values keeps the others in order; added ones go at the end.
    if kept.is_empty() || !kept.iter().copied().chain(&added).eq(new.iter()) {
        return None;
    }
    let attr_path = AttrPath::from_parts(ext.map(|e| &*e.id), &a.name, None).ok()?;
    let value_path = AttrPath::from_parts(None, value_name, None).ok()?;
    let mut ops = Vec::new();
    for gone in old.iter().filter(|e| !new.contains(e)) {
        let filter = Filter::eq(value_path.clone(), value_of(gone)?);
        // The filter must select this value and no other.
        if old
            .iter()
            .filter(|e| element_matches(&filter, a, e))
            .count()
            != 1
        {
            return None;
        }
        let path = PatchPath::with_filter(attr_path.clone(), filter, None).ok()?;
        ops.push(PatchOperation::remove(path.to_string()));
    }
    if !added.is_empty() {
        ops.push(PatchOperation::add(
            attr_path.to_string(),
            Value::Array(added),
        ));
    }
    Some(ops)
}

/// A JSON scalar as a filter value.
pub(super) fn comp_value(value: &Value) -> Option<CompValue> {
    match value {
        Value::String(s) => Some(CompValue::String(s.clone())),
        Value::Bool(b) => Some(CompValue::Bool(*b)),
        Value::Number(n) => Some(CompValue::Number(n.clone())),
        _ => None,
    }
}

fn has_duplicates(items: &[Value]) -> bool {
    items
        .iter()
        .enumerate()
        .any(|(i, item)| items[..i].contains(item))
}

/// `name`, `name.givenName`, `urn:...:User:department`.
fn path_text(ext: Option<&SchemaDef>, a: &Attribute, sub: Option<&Attribute>) -> String {
    let sub = sub.map(|s| &*s.name);
    if let Ok(path) = AttrPath::from_parts(ext.map(|e| &*e.id), &a.name, sub) {
        return path.to_string();
    }
    let mut out = ext.map(|e| format!("{}:", e.id)).unwrap_or_default();
    out.push_str(&a.name);
    if let Some(sub) = sub {
        out.push('.');
        out.push_str(sub);
    }
    out
}
