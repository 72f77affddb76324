//! Local evaluation of a filter against a resource's JSON (RFC 7644 section 3.4.2.2).

use std::borrow::Cow;
use std::cmp::Ordering;

use jiff::Timestamp;
use serde_json::{Number, Value};

use crate::filter::{CompValue, CompareOp, Filter};
use crate::path::AttrPath;

static NULL: Value = Value::Null;

/// Core schemas, whose attributes sit at the top level of a resource.
const CORE_SCHEMA_PREFIX: &str = "urn:ietf:params:scim:schemas:core:";

/// Whether `filter` matches `ctx` (a resource, or a value of a multi-valued attribute inside
/// `[...]`, in which case `parent` is that attribute).
pub(crate) fn eval(
    filter: &Filter,
    ctx: &Value,
    parent: Option<&AttrPath>,
    case_exact: &dyn Fn(&AttrPath) -> bool,
) -> bool {
    match filter {
        // Chains lean left: walk the left spine in a loop, recurse only into right operands.
        Filter::And(..) => {
            let mut node = filter;
            while let Filter::And(left, right) = node {
                if !eval(right, ctx, parent, case_exact) {
                    return false;
                }
                node = left;
            }
            eval(node, ctx, parent, case_exact)
        }
        Filter::Or(..) => {
            let mut node = filter;
            while let Filter::Or(left, right) = node {
                if eval(right, ctx, parent, case_exact) {
                    return true;
                }
                node = left;
            }
            eval(node, ctx, parent, case_exact)
        }
        Filter::Not(inner) => !eval(inner, ctx, parent, case_exact),
        Filter::Present(path) => values(ctx, path).into_iter().any(is_present),
        Filter::Compare { path, op, value } => {
            let exact = matches!(value, CompValue::String(_))
                && match parent {
                    Some(parent) => case_exact(&parent.qualify(path)),
                    None => case_exact(path),
                };
            let leaves: Vec<&Value> = values(ctx, path)
                .into_iter()
                .map(|leaf| match leaf {
                    Value::Object(_) => lookup(leaf, "value").unwrap_or(&NULL),
                    _ => leaf,
                })
                .collect();
            compare(&leaves, *op, value, exact)
        }
        Filter::ValuePath { attr, filter } => {
            let qualified = parent.map(|parent| parent.qualify(attr));
            let attr_for_inner = qualified.as_ref().unwrap_or(attr);
            values(ctx, attr)
                .into_iter()
                .any(|element| eval(filter, element, Some(attr_for_inner), case_exact))
        }
    }
}

/// The member of `object` named `key`, in any ASCII case (an exact match wins).
fn lookup<'v>(object: &'v Value, key: &str) -> Option<&'v Value> {
    let map = object.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// The top-level value `path` designates in `ctx`, before any sub-attribute.
fn attribute<'v>(ctx: &'v Value, path: &AttrPath) -> Option<&'v Value> {
    let Some(urn) = path.schema() else {
        return lookup(ctx, path.name());
    };
    if let Some(extension) = lookup(ctx, urn) {
        return lookup(extension, path.name());
    }
    let core = urn
        .get(..CORE_SCHEMA_PREFIX.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(CORE_SCHEMA_PREFIX));
    let listed = || {
        lookup(ctx, "schemas")
            .and_then(Value::as_array)
            .is_some_and(|schemas| {
                schemas
                    .iter()
                    .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)))
            })
    };
    if core || listed() {
        lookup(ctx, path.name())
    } else {
        None
    }
}

/// The values of a multi-valued attribute, or the value of a single-valued one.
fn flatten(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Every value `path` designates in `ctx`, arrays flattened. A complex value that lacks the
/// sub-attribute contributes `null`; an absent attribute contributes nothing.
fn values<'v>(ctx: &'v Value, path: &AttrPath) -> Vec<&'v Value> {
    let Some(top) = attribute(ctx, path) else {
        return Vec::new();
    };
    let top = flatten(top);
    match path.sub_attr() {
        None => top,
        Some(sub) => top
            .into_iter()
            .filter(|v| v.is_object())
            .flat_map(|v| flatten(lookup(v, sub).unwrap_or(&NULL)))
            .collect(),
    }
}

fn is_present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        _ => true,
    }
}

fn compare(leaves: &[&Value], op: CompareOp, value: &CompValue, exact: bool) -> bool {
    if let CompValue::Null = value {
        let is_null = |leaf: &&Value| !is_present(leaf);
        return match op {
            CompareOp::Eq => leaves.is_empty() || leaves.iter().any(is_null),
            CompareOp::Ne => leaves.iter().any(|leaf| !is_null(leaf)),
            _ => false,
        };
    }
    // Parse the filter's value as a timestamp once, not once per leaf.
    let timestamp = match value {
        CompValue::String(s) => s.parse::<Timestamp>().ok(),
        _ => None,
    };
    let one = |leaf: &Value, op: CompareOp| compare_one(leaf, op, value, timestamp, exact);
    match op {
        CompareOp::Ne => leaves.is_empty() || leaves.iter().any(|leaf| !one(leaf, CompareOp::Eq)),
        _ => leaves.iter().any(|leaf| one(leaf, op)),
    }
}

fn compare_one(
    leaf: &Value,
    op: CompareOp,
    value: &CompValue,
    timestamp: Option<Timestamp>,
    exact: bool,
) -> bool {
    match (leaf, value) {
        (Value::Bool(a), CompValue::Bool(b)) => match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            _ => false,
        },
        (Value::Number(a), CompValue::Number(b)) => ordered(op, compare_numbers(a, b)),
        (Value::String(a), CompValue::String(b)) => compare_strings(a, b, op, timestamp, exact),
        _ => false,
    }
}

/// Whether `ordering` (attribute compared with the filter's value) satisfies `op`.
fn ordered(op: CompareOp, ordering: Option<Ordering>) -> bool {
    let Some(ordering) = ordering else {
        return false;
    };
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    fn integer(n: &Number) -> Option<i128> {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    }
    match (integer(a), integer(b)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

fn compare_strings(
    attribute: &str,
    value: &str,
    op: CompareOp,
    timestamp: Option<Timestamp>,
    exact: bool,
) -> bool {
    let fold = |s: &str| -> String { s.to_lowercase() };
    let (a, b): (Cow<'_, str>, Cow<'_, str>) = if exact {
        (Cow::Borrowed(attribute), Cow::Borrowed(value))
    } else {
        (Cow::Owned(fold(attribute)), Cow::Owned(fold(value)))
    };
    match op {
        CompareOp::Co => a.contains(&*b),
        CompareOp::Sw => a.starts_with(&*b),
        CompareOp::Ew => a.ends_with(&*b),
        _ => {
            if let Some(theirs) = timestamp
                && let Ok(ours) = attribute.parse::<Timestamp>()
            {
                return ordered(op, Some(ours.cmp(&theirs)));
            }
            ordered(op, Some(a.cmp(&b)))
        }
    }
}
