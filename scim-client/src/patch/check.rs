//! [`check`]: a PATCH checked against the metadata before it is sent.

use base64::Engine as _;
use serde_json::{Map, Value};

use super::{Fail, PatchError, Schemas, apply};
use crate::path::{PatchPath, ResolvedPath, suggest};
use crate::protocol::{PatchOp, PatchOpKind, PatchOperation};
use crate::schema::{Attribute, AttributeType, Mutability, SchemaDef};

impl PatchOp {
    /// Checks the patch against the resource type's metadata before it is sent; see
    /// [`patch::check`](super::check).
    ///
    /// ```
    /// use scim_client::model::User;
    /// use scim_client::patch::{PatchErrorKind, Schemas};
    /// use scim_client::protocol::PatchOp;
    ///
    /// let schemas = Schemas::of::<User>();
    /// assert!(PatchOp::new().replace("name.givenName", "Babs").check(&schemas, None).is_ok());
    ///
    /// let e = PatchOp::new().replace("nickNme", "Babs").check(&schemas, None).unwrap_err();
    /// assert_eq!(e.kind(), PatchErrorKind::InvalidPath);
    /// assert_eq!(e.message(), "unknown attribute `nickNme`, did you mean `nickName`?");
    /// ```
    ///
    /// # Errors
    ///
    /// As [`patch::check`](super::check).
    pub fn check(&self, schemas: &Schemas<'_>, current: Option<&Value>) -> Result<(), PatchError> {
        check(self, schemas, current)
    }
}

/// Checks `patch` against `schemas` before it is sent, operation by operation, so that what a
/// service provider would refuse for its schema is caught without a round trip:
///
/// - every `path` (and every key of a path-less `add` / `replace` value) must
///   [resolve](PatchPath::resolve), case-insensitively; an unknown name is `invalidPath` with
///   the closest defined name suggested (``unknown attribute `nickNme`, did you mean
///   `nickName`?``); a path may also be an extension's URN, whose value is then an object of
///   that extension's attributes;
/// - an extension attribute must be qualified with its URN (`urn:...:2.0:User:department`,
///   not `department`), as RFC 7644 section 3.10 asks of clients and as strict service
///   providers require (`apply` and [`PatchPath::resolve`] accept the bare name when a single
///   extension defines it);
/// - a `readOnly` target (`id`, `meta`, `groups`, `manager.displayName`) is `mutability`;
/// - `remove` without a `path` is `noTarget`; `add` needs a non-null `value`, `replace` a
///   `value` (`null` unassigns);
/// - removing (or replacing with `null`) a `required` attribute is `mutability`;
/// - the value must fit the target's type (`invalidValue`): a JSON string for string and
///   reference attributes, an RFC 3339 string for dateTime ones (parsed as a
///   [`jiff::Timestamp`]), a base64 string (RFC 4648 section 4, padded) for binary ones,
///   `true` / `false` for booleans, an integer for integer attributes, any number for decimal
///   ones, and an object for complex ones, whose members must be sub-attributes the schema
///   defines (a typo is refused with a suggestion; `readOnly` ones are ignored, as service
///   providers do). A multi-valued attribute takes an array or a single value; a path with a
///   value filter and no sub-attribute (`emails[type eq "work"]`) takes one value.
///
/// This is stricter than [`apply`], which accepts what real clients send (`"True"` for
/// `true`, a bare value for a complex attribute with a `value` sub-attribute, any string for
/// a dateTime): a patch that passes is one a strict service provider should accept.
///
/// With `current`, the resource's present JSON, each operation is also applied to a copy of
/// it (with [`apply`], in order) and whatever `apply` refuses is refused: above all an
/// `immutable` attribute, which may only be added while it has no value (or "changed" to the
/// value it has); also a value filter that matches no value in a `replace`, two values made
/// primary at once. **Without `current` (`None`) nothing of this is checked**: in particular
/// an operation that would change an immutable attribute that already has a value passes,
/// since only the resource can tell.
///
/// An empty patch passes ([`PatchOp::validate`] refuses it).
///
/// ```
/// use scim_client::model::{EnterpriseUser, Group, User};
/// use scim_client::patch::{self, PatchErrorKind, Schemas};
/// use scim_client::protocol::PatchOp;
/// use serde_json::json;
///
/// let users = Schemas::of::<User<EnterpriseUser>>();
/// let fine = PatchOp::new()
///     .add("emails", json!({"value": "babs@example.com", "type": "home"}))
///     .replace("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "26118915")
///     .remove(r#"phoneNumbers[type eq "fax"]"#);
/// patch::check(&fine, &users, None)?;
///
/// let e = patch::check(&PatchOp::new().replace("meta.created", "2011-08-01T18:29:49Z"), &users, None).unwrap_err();
/// assert_eq!(e.kind(), PatchErrorKind::Mutability);
/// let e = patch::check(&PatchOp::new().replace("active", "yes"), &users, None).unwrap_err();
/// assert_eq!(e.to_string(), "Operations[0] (replace `active`): invalidValue: `active` takes boolean values, not a string");
///
/// // `members.value` is immutable: it may be set on a new member, not changed on one.
/// let groups = Schemas::of::<Group>();
/// let group = json!({"displayName": "Tour Guides", "members": [{"value": "2819c223"}]});
/// let change = PatchOp::new().replace(r#"members[value eq "2819c223"].value"#, "902c246b");
/// assert!(patch::check(&change, &groups, None).is_ok()); // cannot tell without the group
/// let e = patch::check(&change, &groups, Some(&group)).unwrap_err();
/// assert_eq!(e.kind(), PatchErrorKind::Mutability);
/// # Ok::<(), patch::PatchError>(())
/// ```
///
/// # Errors
///
/// The first operation that does not pass, as a [`PatchError`] with its index, `op`, `path`,
/// the kind of failure a service provider would answer with, and why.
pub fn check(
    patch: &PatchOp,
    schemas: &Schemas<'_>,
    current: Option<&Value>,
) -> Result<(), PatchError> {
    let mut state = current.cloned();
    for (index, operation) in patch.operations.iter().enumerate() {
        check_operation(operation, schemas).map_err(|fail| PatchError {
            kind: fail.kind,
            index,
            op: operation.op,
            path: operation.path.clone(),
            message: fail.message,
        })?;
        if let Some(state) = &mut state {
            let single = PatchOp {
                operations: vec![operation.clone()],
            };
            apply(state, &single, schemas).map_err(|e| PatchError { index, ..e })?;
        }
    }
    Ok(())
}

fn check_operation(op: &PatchOperation, schemas: &Schemas<'_>) -> Result<(), Fail> {
    let path = op.path.as_deref().map(str::trim).filter(|p| !p.is_empty());
    match op.op {
        PatchOpKind::Remove => {
            let path = path.ok_or_else(|| Fail::no_target("`remove` needs a `path`"))?;
            let value = op.value.as_ref().filter(|v| !v.is_null());
            if schemas.extension(path).is_some() {
                return match value {
                    None => Ok(()),
                    Some(_) => Err(Fail::invalid_value(
                        "`remove` of an extension takes no `value`",
                    )),
                };
            }
            let (path, target) = resolve(path, schemas, None)?;
            writable(&target)?;
            let attribute = target.attribute();
            match value {
                None => not_required(&path, &target),
                Some(value)
                    if attribute.multi_valued
                        && path.value_filter().is_none()
                        && target.sub_attribute().is_none() =>
                {
                    check_value(attribute, value, true, &attribute.name)
                }
                Some(_) => Err(Fail::invalid_value(
                    "`remove` takes no `value` (except a list of values to remove from a multi-valued attribute)",
                )),
            }
        }
        kind => {
            let value = match &op.value {
                None => return Err(Fail::invalid_value(format!("`{kind}` needs a `value`"))),
                Some(Value::Null) if kind == PatchOpKind::Add => {
                    return Err(Fail::invalid_value("`add` needs a non-null `value`"));
                }
                Some(value) => value,
            };
            match path {
                None => check_members(schemas, None, value, kind),
                Some(path) => check_target(schemas, path, None, value, kind),
            }
        }
    }
}

/// The members of a path-less value, or of an extension's object: each is a target.
fn check_members(
    schemas: &Schemas<'_>,
    base: Option<&SchemaDef>,
    value: &Value,
    kind: PatchOpKind,
) -> Result<(), Fail> {
    let Value::Object(members) = value else {
        return Err(Fail::invalid_value(match base {
            None => "without a `path`, the value must be an object of attributes".to_owned(),
            Some(ext) => format!(
                "the value of `{}` must be an object of its attributes",
                ext.id
            ),
        }));
    };
    for (key, member) in members {
        check_target(schemas, key, base, member, kind)?;
    }
    Ok(())
}

/// `add` / `replace` of `value` at `text` (a path, or a key of a path-less value).
fn check_target(
    schemas: &Schemas<'_>,
    text: &str,
    base: Option<&SchemaDef>,
    value: &Value,
    kind: PatchOpKind,
) -> Result<(), Fail> {
    if base.is_none()
        && let Some(ext) = schemas.extension(text)
    {
        // `null` for the whole extension removes it (`replace`) or does nothing (`add`).
        return if value.is_null() {
            Ok(())
        } else {
            check_members(schemas, Some(ext), value, kind)
        };
    }
    let (path, target) = resolve(text, schemas, base)?;
    writable(&target)?;
    if value.is_null() {
        return match kind {
            PatchOpKind::Add => Ok(()),
            _ => not_required(&path, &target),
        };
    }
    let shown = target.canonical();
    match target.sub_attribute() {
        Some(sub) => check_value(sub, value, true, &shown),
        // `emails[type eq "work"]` designates values one by one.
        None => check_value(
            target.attribute(),
            value,
            path.value_filter().is_none(),
            &shown,
        ),
    }
}

/// Parses and resolves a path (or a key of a path-less value, within `base` if given).
fn resolve<'a>(
    text: &str,
    schemas: &Schemas<'a>,
    base: Option<&SchemaDef>,
) -> Result<(PatchPath, ResolvedPath<'a>), Fail> {
    let path = PatchPath::parse(text)
        .map_err(|e| Fail::invalid_path(format!("`{text}` is not a valid path: {e}")))?;
    // `base` is one of `schemas`' extensions; look it up there for the right lifetime.
    let base = base.and_then(|b| schemas.extension(&b.id));
    let resolved = path
        .resolve_in(schemas, base)
        .map_err(|e| Fail::invalid_path(e.to_string()))?;
    if base.is_none() && resolved.is_extension() && path.attr().schema().is_none() {
        return Err(Fail::invalid_path(format!(
            "`{}` is an attribute of the extension `{}`: write `{}:{text}` (RFC 7644 section 3.10: clients qualify extension attributes)",
            resolved.attribute().name,
            resolved.schema().id,
            resolved.schema().id,
        )));
    }
    Ok((path, resolved))
}

fn writable(target: &ResolvedPath<'_>) -> Result<(), Fail> {
    let read_only = target.attribute().mutability == Mutability::ReadOnly
        || target
            .sub_attribute()
            .is_some_and(|s| s.mutability == Mutability::ReadOnly);
    if read_only {
        Err(Fail::mutability(format!(
            "`{}` is readOnly",
            target.canonical()
        )))
    } else {
        Ok(())
    }
}

/// A `remove` (or `replace` with `null`) must not unassign a required attribute.
fn not_required(path: &PatchPath, target: &ResolvedPath<'_>) -> Result<(), Fail> {
    let required = match target.sub_attribute() {
        Some(sub) => sub.required,
        None => path.value_filter().is_none() && target.attribute().required,
    };
    if required {
        Err(Fail::mutability(format!(
            "`{}` is required and cannot be removed",
            target.canonical()
        )))
    } else {
        Ok(())
    }
}

/// Checks `value` against attribute `a` (named `shown`): all its values when `whole` (an array
/// or a single value for a multi-valued attribute), else one value.
fn check_value(a: &Attribute, value: &Value, whole: bool, shown: &str) -> Result<(), Fail> {
    match value {
        Value::Array(items) if a.multi_valued && whole => {
            for item in items {
                if item.is_null() {
                    return Err(Fail::invalid_value(format!(
                        "`{shown}`: `null` is not a value"
                    )));
                }
                check_element(a, item, shown)?;
            }
            Ok(())
        }
        _ => check_element(a, value, shown),
    }
}

/// One value of `a`.
fn check_element(a: &Attribute, value: &Value, shown: &str) -> Result<(), Fail> {
    let fits = match a.ty {
        AttributeType::Complex => {
            return match value {
                Value::Object(members) => check_members_of(a, members, shown),
                _ => Err(type_error(a, value, shown)),
            };
        }
        AttributeType::String | AttributeType::Reference => value.is_string(),
        AttributeType::Boolean => value.is_boolean(),
        AttributeType::Integer => value.is_i64() || value.is_u64(),
        AttributeType::Decimal => value.is_number(),
        AttributeType::DateTime => {
            if let Value::String(s) = value {
                return s.parse::<jiff::Timestamp>().map(drop).map_err(|_| {
                    Fail::invalid_value(format!(
                        "`{shown}` takes dateTime values: `{s}` is not an RFC 3339 date-time with an offset (such as `2011-05-13T04:42:34Z`)"
                    ))
                });
            }
            false
        }
        AttributeType::Binary => {
            if let Value::String(s) = value {
                return base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .map(drop)
                    .map_err(|_| {
                        Fail::invalid_value(format!(
                            "`{shown}` takes binary values: the string is not base64 (RFC 4648 section 4, padded)"
                        ))
                    });
            }
            false
        }
    };
    if fits {
        Ok(())
    } else {
        Err(type_error(a, value, shown))
    }
}

/// The members of a complex value: defined sub-attributes, each of the right type.
fn check_members_of(a: &Attribute, members: &Map<String, Value>, shown: &str) -> Result<(), Fail> {
    for (key, member) in members {
        let Some(sub) = a.sub_attribute(key) else {
            let close = suggest(key, a.sub_attributes.iter().map(|s| &*s.name))
                .map(|close| format!(", did you mean `{close}`?"))
                .unwrap_or_default();
            return Err(Fail::invalid_value(format!(
                "`{shown}` has no sub-attribute `{key}`{close}"
            )));
        };
        // A readOnly sub-attribute is ignored by service providers, a null unassigns.
        if sub.mutability == Mutability::ReadOnly || member.is_null() {
            continue;
        }
        check_value(sub, member, true, &format!("{shown}.{}", sub.name))?;
    }
    Ok(())
}

fn type_error(a: &Attribute, value: &Value, shown: &str) -> Fail {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let takes = match a.ty {
        AttributeType::Complex => "complex (object)",
        other => other.as_str(),
    };
    let one = if a.multi_valued && value.is_array() {
        " (one value here)"
    } else {
        ""
    };
    let hint = match (a.ty, value) {
        (AttributeType::Complex, Value::String(_) | Value::Number(_) | Value::Bool(_))
            if a.sub_attribute("value").is_some() =>
        {
            ": write `{\"value\": ...}`"
        }
        _ => "",
    };
    Fail::invalid_value(format!(
        "`{shown}` takes {takes} values{one}, not {found}{hint}"
    ))
}
