//! [`apply`]: RFC 7644 section 3.5.2 PATCH semantics on a resource's JSON.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{Fail, PatchError, Schemas};
use crate::filter::Filter;
use crate::path::{AttrPath, PatchPath, resolve_in, sub_attribute};
use crate::protocol::{PatchOp, PatchOpKind, PatchOperation};
use crate::schema::{Attribute, AttributeType, Mutability, SchemaDef};
use crate::value::{get_ci, json_is_empty};

/// Applies `patch` to `resource` (a resource's JSON object) with the semantics of RFC 7644
/// section 3.5.2, described in the [module documentation](super).
///
/// The operations run in order on a copy; `resource` is only replaced when all of them
/// succeeded, so a failure leaves it untouched. An empty patch changes nothing.
///
/// ```
/// use scim_client::model::Group;
/// use scim_client::patch::{self, Schemas};
/// use scim_client::protocol::PatchOp;
/// use serde_json::json;
///
/// let mut group = json!({
///     "displayName": "Tour Guides",
///     "members": [{"value": "2819c223"}, {"value": "902c246b"}]
/// });
/// let patch = PatchOp::new().remove(r#"members[value eq "2819c223"]"#);
/// patch::apply(&mut group, &patch, &Schemas::of::<Group>())?;
/// assert_eq!(group["members"], json!([{"value": "902c246b"}]));
/// # Ok::<(), patch::PatchError>(())
/// ```
///
/// # Errors
///
/// The first operation that fails, with its index, `op` and `path`, and the kind of failure
/// ([`PatchErrorKind`](super::PatchErrorKind)): `noTarget`, `invalidPath`, `invalidValue` or `mutability`. A
/// `resource` that is not a JSON object fails the first operation with `invalidValue`.
pub fn apply(
    resource: &mut Value,
    patch: &PatchOp,
    schemas: &Schemas<'_>,
) -> Result<(), PatchError> {
    let at = |index: usize, operation: &PatchOperation, fail: Fail| PatchError {
        kind: fail.kind,
        index,
        op: operation.op,
        path: operation.path.clone(),
        message: fail.message,
    };
    let Some(root) = resource.as_object_mut() else {
        return match patch.operations.first() {
            None => Ok(()),
            Some(first) => Err(at(
                0,
                first,
                Fail::invalid_value("the resource is not a JSON object"),
            )),
        };
    };
    let mut work = root.clone();
    for (index, operation) in patch.operations.iter().enumerate() {
        let mut run = Run {
            schemas,
            touched: Vec::new(),
        };
        run.operation(&mut work, operation)
            .map_err(|fail| at(index, operation, fail))?;
        run.sync_extensions(&mut work);
    }
    *root = work;
    Ok(())
}

/// What a path designates.
enum Target<'a> {
    /// A whole extension object (the path is the extension's URN).
    Extension(&'a SchemaDef),
    /// An attribute, possibly narrowed by a value filter and a sub-attribute.
    Attr(AttrTarget<'a>),
}

struct AttrTarget<'a> {
    /// The extension the attribute belongs to; `None` for the core schema (top level).
    ext: Option<&'a SchemaDef>,
    /// The top-level attribute.
    attr: &'a Attribute,
    /// The value filter (`emails[type eq "work"]`).
    filter: Option<Filter>,
    /// The sub-attribute: `name.givenName`, or `emails[...].value`.
    sub: Option<&'a Attribute>,
}

/// One operation being applied.
struct Run<'s, 'a> {
    schemas: &'s Schemas<'a>,
    /// Extensions the operation wrote into or removed from, to keep `schemas` in step.
    touched: Vec<&'a SchemaDef>,
}

impl<'a> Run<'_, 'a> {
    fn operation(
        &mut self,
        root: &mut Map<String, Value>,
        op: &PatchOperation,
    ) -> Result<(), Fail> {
        let path = op.path.as_deref().map(str::trim).filter(|p| !p.is_empty());
        match op.op {
            PatchOpKind::Remove => {
                let path = path.ok_or_else(|| Fail::no_target("`remove` needs a `path`"))?;
                let target = self.resolve(path, None)?;
                self.remove(root, &target, op.value.as_ref().filter(|v| !v.is_null()))
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
                    None => self.set_members(root, None, value, kind),
                    Some(path) => {
                        let target = self.resolve(path, None)?;
                        self.set(root, &target, value, kind)
                    }
                }
            }
        }
    }

    // ----- paths ---------------------------------------------------------------------------

    /// Resolves a path, or a key of a no-path value. `base` is the extension whose object the
    /// key was found in (`{"urn:...:enterprise:2.0:User": {"department": ...}}`).
    fn resolve(&self, text: &str, base: Option<&'a SchemaDef>) -> Result<Target<'a>, Fail> {
        if base.is_none()
            && let Some(ext) = self.schemas.extension(text)
        {
            return Ok(Target::Extension(ext));
        }
        let path = PatchPath::parse(text)
            .map_err(|e| Fail::invalid_path(format!("`{text}` is not a valid path: {e}")))?;
        let (ext, attr) = self.attribute(path.attr(), base)?;
        let filter = path.value_filter().cloned();
        if filter.is_some() && !attr.multi_valued {
            return Err(Fail::invalid_path(format!(
                "`{}` is not multi-valued: it cannot take a value filter",
                describe(ext, attr, None)
            )));
        }
        if filter.is_some() && path.attr().sub_attr().is_some() {
            return Err(Fail::invalid_path(format!(
                "`{text}`: a value filter applies to an attribute, not to a sub-attribute"
            )));
        }
        let sub = match path.attr().sub_attr().or(path.sub_attr()) {
            None => None,
            Some(name) => Some(
                sub_attribute(attr, &describe(ext, attr, None), name)
                    .map_err(|e| Fail::invalid_path(e.to_string()))?,
            ),
        };
        if attr.mutability == Mutability::ReadOnly
            || sub.is_some_and(|s| s.mutability == Mutability::ReadOnly)
        {
            return Err(Fail::mutability(format!(
                "`{}` is readOnly",
                describe(ext, attr, sub)
            )));
        }
        Ok(Target::Attr(AttrTarget {
            ext,
            attr,
            filter,
            sub,
        }))
    }

    /// The schema and top-level attribute an attribute path names (the sub-attribute is
    /// resolved by the caller, after the value filter).
    fn attribute(
        &self,
        path: &AttrPath,
        base: Option<&'a SchemaDef>,
    ) -> Result<(Option<&'a SchemaDef>, &'a Attribute), Fail> {
        let top = AttrPath::from_checked(
            path.schema().map(str::to_owned),
            path.name().to_owned(),
            None,
        );
        let resolved =
            resolve_in(&top, self.schemas, base).map_err(|e| Fail::invalid_path(e.to_string()))?;
        Ok((
            resolved.is_extension().then_some(resolved.schema()),
            resolved.attribute(),
        ))
    }

    // ----- add and replace -----------------------------------------------------------------

    /// Applies each member of an object value as its own target (no-path `add`/`replace`, a
    /// path naming an extension).
    fn set_members(
        &mut self,
        root: &mut Map<String, Value>,
        base: Option<&'a SchemaDef>,
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
        for (key, value) in members {
            let target = self.resolve(key, base)?;
            self.set(root, &target, value, kind)?;
        }
        Ok(())
    }

    fn set(
        &mut self,
        root: &mut Map<String, Value>,
        target: &Target<'a>,
        value: &Value,
        kind: PatchOpKind,
    ) -> Result<(), Fail> {
        match target {
            Target::Extension(ext) if value.is_null() => {
                if kind != PatchOpKind::Add {
                    self.remove_extension(root, ext);
                }
                Ok(())
            }
            Target::Extension(ext) => self.set_members(root, Some(ext), value, kind),
            Target::Attr(t) if value.is_null() => match kind {
                PatchOpKind::Add => Ok(()),
                _ => self.remove_attr(root, t),
            },
            Target::Attr(t) => {
                let before = immutable_snapshot(root, t);
                self.set_attr(root, t, value, kind)?;
                check_immutable(root, t, before)
            }
        }
    }

    fn set_attr(
        &mut self,
        root: &mut Map<String, Value>,
        t: &AttrTarget<'a>,
        value: &Value,
        kind: PatchOpKind,
    ) -> Result<(), Fail> {
        self.touch(t.ext);
        let container = container(root, t.ext, true).unwrap_or_else(|| unreachable!());
        let a = t.attr;
        match (&t.filter, t.sub) {
            (None, None) => set_field(container, a, value, kind),
            (None, Some(sub)) if !a.multi_valued => {
                let parent = object_slot(container, a);
                set_field(parent, sub, value, kind)?;
                if parent.is_empty() {
                    remove_ci(container, &a.name);
                }
                Ok(())
            }
            (filter, sub) => {
                let mut list = take_list(container, a);
                let matched: Vec<usize> = (0..list.len())
                    .filter(|&i| {
                        filter
                            .as_ref()
                            .is_none_or(|f| element_matches(f, a, &list[i]))
                    })
                    .collect();
                if matched.is_empty() {
                    return Err(Fail::no_target(format!(
                        "no value of `{}` matches",
                        describe(t.ext, a, None)
                    )));
                }
                for &i in &matched {
                    let element = &mut list[i];
                    match (sub, element) {
                        (Some(sub), Value::Object(element)) => {
                            set_field(element, sub, value, kind)?;
                        }
                        (Some(_), _) => {
                            return Err(Fail::invalid_value(format!(
                                "the values of `{}` are not objects",
                                describe(t.ext, a, None)
                            )));
                        }
                        (None, Value::Object(element))
                            if kind == PatchOpKind::Add && a.ty == AttributeType::Complex =>
                        {
                            merge(element, a, value, kind)?;
                        }
                        (None, element) => *element = canon_element(a, value)?,
                    }
                }
                settle_primary(&mut list, &matched, a)?;
                list.retain(|e| !json_is_empty(e));
                put_list(container, a, list);
                Ok(())
            }
        }
    }

    // ----- remove --------------------------------------------------------------------------

    fn remove(
        &mut self,
        root: &mut Map<String, Value>,
        target: &Target<'a>,
        value: Option<&Value>,
    ) -> Result<(), Fail> {
        match (target, value) {
            (Target::Extension(ext), None) => {
                self.remove_extension(root, ext);
                Ok(())
            }
            (Target::Attr(t), Some(value))
                if t.attr.multi_valued && t.filter.is_none() && t.sub.is_none() =>
            {
                let before = immutable_snapshot(root, t);
                self.remove_listed(root, t, value)?;
                check_immutable(root, t, before)
            }
            (_, Some(_)) => Err(Fail::invalid_value(
                "`remove` takes no `value` (except a list of values to remove from a multi-valued attribute)",
            )),
            (Target::Attr(t), None) => self.remove_attr(root, t),
        }
    }

    fn remove_attr(
        &mut self,
        root: &mut Map<String, Value>,
        t: &AttrTarget<'a>,
    ) -> Result<(), Fail> {
        let before = immutable_snapshot(root, t);
        self.touch(t.ext);
        let Some(container) = container(root, t.ext, false) else {
            return Ok(());
        };
        let a = t.attr;
        match (&t.filter, t.sub) {
            (None, None) => remove_field(container, a)?,
            (None, Some(sub)) if !a.multi_valued => {
                if let Some(Value::Object(parent)) = get_mut_ci(container, &a.name) {
                    remove_field(parent, sub)?;
                    if parent.is_empty() {
                        remove_ci(container, &a.name);
                    }
                }
            }
            (filter, sub) => {
                let mut list = take_list(container, a);
                let had_values = !list.is_empty();
                let selected = |e: &Value| filter.as_ref().is_none_or(|f| element_matches(f, a, e));
                match sub {
                    None => list.retain(|e| !selected(e)),
                    Some(sub) => {
                        for element in &mut list {
                            if selected(element)
                                && let Value::Object(element) = element
                            {
                                remove_field(element, sub)?;
                            }
                        }
                        list.retain(|e| !json_is_empty(e));
                    }
                }
                if had_values && list.is_empty() {
                    check_not_required(t.ext, a)?;
                }
                put_list(container, a, list);
            }
        }
        check_immutable(root, t, before)
    }

    /// `remove` of a multi-valued attribute with a `value` (Microsoft Entra ID): removes the
    /// values listed, matched by their `value` sub-attribute when they have one, else by
    /// equality.
    fn remove_listed(
        &mut self,
        root: &mut Map<String, Value>,
        t: &AttrTarget<'a>,
        value: &Value,
    ) -> Result<(), Fail> {
        let a = t.attr;
        let items = match value {
            Value::Array(items) => items.iter().collect(),
            item => vec![item],
        };
        let mut filters = Vec::new();
        let mut equal = Vec::new();
        for item in items {
            match value_filter(a, item) {
                Some(filter) => filters.push(filter),
                None => equal.push(canon_element(a, item)?),
            }
        }
        self.touch(t.ext);
        let Some(container) = container(root, t.ext, false) else {
            return Ok(());
        };
        let mut list = take_list(container, a);
        let had_values = !list.is_empty();
        list.retain(|e| !equal.contains(e) && !filters.iter().any(|f| element_matches(f, a, e)));
        if had_values && list.is_empty() {
            check_not_required(t.ext, a)?;
        }
        put_list(container, a, list);
        Ok(())
    }

    fn remove_extension(&mut self, root: &mut Map<String, Value>, ext: &'a SchemaDef) {
        remove_ci(root, &ext.id);
        self.touch(Some(ext));
    }

    // ----- extensions and `schemas` --------------------------------------------------------

    fn touch(&mut self, ext: Option<&'a SchemaDef>) {
        if let Some(ext) = ext
            && !self.touched.iter().any(|t| std::ptr::eq(*t, ext))
        {
            self.touched.push(ext);
        }
    }

    /// After an operation: an extension left empty is removed, and `schemas` (when the
    /// resource has it) lists exactly the extensions present among those touched.
    fn sync_extensions(&self, root: &mut Map<String, Value>) {
        for ext in &self.touched {
            let present = match get_ci(root, &ext.id) {
                Some(v) if json_is_empty(v) => {
                    remove_ci(root, &ext.id);
                    false
                }
                Some(_) => true,
                None => false,
            };
            if let Some(Value::Array(schemas)) = get_mut_ci(root, "schemas") {
                let listed = schemas
                    .iter()
                    .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(&ext.id)));
                if present && !listed {
                    schemas.push(Value::String(ext.id.to_string()));
                } else if !present && listed {
                    schemas
                        .retain(|s| !s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(&ext.id)));
                }
            }
        }
    }
}

// ----- values --------------------------------------------------------------------------------

/// Sets attribute `a` in `obj` (the resource, an extension object, a complex value).
fn set_field(
    obj: &mut Map<String, Value>,
    a: &Attribute,
    value: &Value,
    kind: PatchOpKind,
) -> Result<(), Fail> {
    if value.is_null() {
        return match kind {
            PatchOpKind::Add => Ok(()),
            _ => remove_field(obj, a),
        };
    }
    let before = (a.mutability == Mutability::Immutable)
        .then(|| get_ci(obj, &a.name).filter(|v| !json_is_empty(v)).cloned())
        .flatten();
    if a.multi_valued {
        set_multi(obj, a, value, kind)?;
    } else if a.ty == AttributeType::Complex {
        let slot = object_slot(obj, a);
        merge(slot, a, value, kind)?;
        if slot.is_empty() {
            remove_ci(obj, &a.name);
        }
    } else {
        let value = canon_simple(a, value)?;
        put(obj, &a.name, value);
    }
    match before {
        Some(before) if get_ci(obj, &a.name) != Some(&before) => Err(Fail::mutability(format!(
            "`{}` is immutable and already has a value",
            a.name
        ))),
        _ => Ok(()),
    }
}

/// Merges the members of `value` into the complex value `slot` of attribute `a`.
fn merge(
    slot: &mut Map<String, Value>,
    a: &Attribute,
    value: &Value,
    kind: PatchOpKind,
) -> Result<(), Fail> {
    for (key, value) in complex_members(a, value)?.iter() {
        match a.sub_attribute(key) {
            // Ignored, as in PUT (RFC 7644 section 3.5.1); a path to it is refused.
            Some(sub) if sub.mutability == Mutability::ReadOnly => {}
            Some(sub) => set_field(slot, sub, value, kind)?,
            None if value.is_null() => remove_ci(slot, key),
            None => put(slot, key, value.clone()),
        }
    }
    Ok(())
}

/// Adds values to (or, for `replace`, replaces the values of) multi-valued attribute `a`.
fn set_multi(
    obj: &mut Map<String, Value>,
    a: &Attribute,
    value: &Value,
    kind: PatchOpKind,
) -> Result<(), Fail> {
    let Value::Array(incoming) = canon_value(a, value)? else {
        unreachable!("a multi-valued attribute is canonicalized to an array")
    };
    let mut list = take_list(obj, a);
    let had_values = !list.is_empty();
    let mut touched = Vec::new();
    if kind == PatchOpKind::Add {
        for value in incoming {
            if !list.contains(&value) {
                touched.push(list.len());
                list.push(value);
            }
        }
    } else {
        touched = (0..incoming.len()).collect();
        list = incoming;
    }
    settle_primary(&mut list, &touched, a)?;
    if had_values && list.is_empty() {
        check_not_required(None, a)?;
    }
    put_list(obj, a, list);
    Ok(())
}

/// Removes attribute `a` from `obj`, unless it is required or immutable.
fn remove_field(obj: &mut Map<String, Value>, a: &Attribute) -> Result<(), Fail> {
    if get_ci(obj, &a.name).is_some_and(|v| !json_is_empty(v)) {
        check_not_required(None, a)?;
        if a.mutability == Mutability::Immutable {
            return Err(Fail::mutability(format!(
                "`{}` is immutable and cannot be removed",
                a.name
            )));
        }
    }
    remove_ci(obj, &a.name);
    Ok(())
}

fn check_not_required(ext: Option<&SchemaDef>, a: &Attribute) -> Result<(), Fail> {
    if a.required {
        Err(Fail::mutability(format!(
            "`{}` is required and cannot be removed",
            describe(ext, a, None)
        )))
    } else {
        Ok(())
    }
}

/// The current value of a target's attribute, when it is immutable and has one.
fn immutable_snapshot(root: &Map<String, Value>, t: &AttrTarget<'_>) -> Option<Value> {
    if t.attr.mutability != Mutability::Immutable {
        return None;
    }
    current(root, t).filter(|v| !json_is_empty(v)).cloned()
}

/// An immutable attribute that had a value must still have it after the operation.
fn check_immutable(
    root: &Map<String, Value>,
    t: &AttrTarget<'_>,
    before: Option<Value>,
) -> Result<(), Fail> {
    match before {
        Some(before) if current(root, t) != Some(&before) => Err(Fail::mutability(format!(
            "`{}` is immutable and already has a value",
            describe(t.ext, t.attr, None)
        ))),
        _ => Ok(()),
    }
}

fn current<'v>(root: &'v Map<String, Value>, t: &AttrTarget<'_>) -> Option<&'v Value> {
    let container = match t.ext {
        None => root,
        Some(ext) => get_ci(root, &ext.id)?.as_object()?,
    };
    get_ci(container, &t.attr.name)
}

/// Sets `primary: false` on every value but the one an operation just made primary.
fn settle_primary(list: &mut [Value], touched: &[usize], a: &Attribute) -> Result<(), Fail> {
    if a.ty != AttributeType::Complex {
        return Ok(());
    }
    let new: Vec<usize> = touched
        .iter()
        .copied()
        .filter(|&i| is_primary(&list[i]))
        .collect();
    match new[..] {
        [] => Ok(()),
        [keep] => {
            for (i, element) in list.iter_mut().enumerate() {
                if i != keep
                    && is_primary(element)
                    && let Some(flag) = element
                        .as_object_mut()
                        .and_then(|o| get_mut_ci(o, "primary"))
                {
                    *flag = Value::Bool(false);
                }
            }
            Ok(())
        }
        _ => Err(Fail::invalid_value(format!(
            "more than one value of `{}` would be primary",
            a.name
        ))),
    }
}

fn is_primary(element: &Value) -> bool {
    element
        .as_object()
        .and_then(|o| get_ci(o, "primary"))
        .is_some_and(|p| *p == Value::Bool(true))
}

/// Whether a value of multi-valued attribute `a` matches a value filter. Simple values are
/// tested as `{"value": v}`, so `[value eq "x"]` works on them too.
pub(super) fn element_matches(filter: &Filter, a: &Attribute, element: &Value) -> bool {
    let case_exact = |p: &AttrPath| {
        if a.ty == AttributeType::Complex {
            a.sub_attribute(p.name()).is_some_and(|s| s.case_exact)
        } else {
            a.case_exact
        }
    };
    if element.is_object() {
        filter.matches_with(element, case_exact)
    } else {
        let mut wrapped = Map::new();
        wrapped.insert("value".to_owned(), element.clone());
        filter.matches_with(&Value::Object(wrapped), case_exact)
    }
}

/// `value eq <v>` for an item of an Entra-style `remove` that has a scalar `value`.
fn value_filter(a: &Attribute, item: &Value) -> Option<Filter> {
    let value = match item {
        Value::Object(o) if a.ty == AttributeType::Complex => get_ci(o, "value")?,
        _ => return None,
    };
    let name = a.sub_attribute("value").map_or("value", |s| &s.name);
    Some(Filter::eq(
        AttrPath::from_parts(None, name, None).ok()?,
        super::diff::comp_value(value)?,
    ))
}

// ----- canonical values ------------------------------------------------------------------------

/// `value` checked against attribute `a` and written with the schema's spelling: an array for
/// a multi-valued attribute (a single value is wrapped), nulls left out, `readOnly`
/// sub-attributes left out.
///
/// # Errors
///
/// `invalidValue` when a value does not fit the attribute's type.
pub(super) fn canon_value(a: &Attribute, value: &Value) -> Result<Value, Fail> {
    if !a.multi_valued {
        return canon_element(a, value);
    }
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        item => vec![item],
    };
    items
        .into_iter()
        .filter(|v| !v.is_null())
        .map(|v| canon_element(a, v))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// One value of `a` (the whole value of a single-valued attribute).
fn canon_element(a: &Attribute, value: &Value) -> Result<Value, Fail> {
    if a.ty != AttributeType::Complex {
        return canon_simple(a, value);
    }
    let mut out = Map::new();
    for (key, value) in complex_members(a, value)?.iter() {
        if value.is_null() {
            continue;
        }
        match a.sub_attribute(key) {
            Some(sub) if sub.mutability == Mutability::ReadOnly => {}
            Some(sub) => {
                out.insert(sub.name.to_string(), canon_value(sub, value)?);
            }
            None => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(Value::Object(out))
}

/// The members of a complex value: an object, or (Entra ID) a bare value standing for the
/// `value` sub-attribute.
fn complex_members<'v>(
    a: &Attribute,
    value: &'v Value,
) -> Result<Cow<'v, Map<String, Value>>, Fail> {
    match value {
        Value::Object(members) => Ok(Cow::Borrowed(members)),
        Value::Array(_) | Value::Null => Err(type_error(a, value)),
        scalar => match a.sub_attribute("value") {
            Some(sub) => {
                let mut members = Map::new();
                members.insert(sub.name.to_string(), scalar.clone());
                Ok(Cow::Owned(members))
            }
            None => Err(type_error(a, value)),
        },
    }
}

/// A simple value checked against the attribute's type; `"True"`/`"False"` strings are read as
/// booleans (Entra ID sends them).
fn canon_simple(a: &Attribute, value: &Value) -> Result<Value, Fail> {
    let fits = match a.ty {
        AttributeType::String
        | AttributeType::Reference
        | AttributeType::DateTime
        | AttributeType::Binary => value.is_string(),
        AttributeType::Boolean => {
            if let Value::String(s) = value {
                for b in [true, false] {
                    if s.trim()
                        .eq_ignore_ascii_case(if b { "true" } else { "false" })
                    {
                        return Ok(Value::Bool(b));
                    }
                }
            }
            value.is_boolean()
        }
        AttributeType::Integer => value.is_i64() || value.is_u64(),
        AttributeType::Decimal => value.is_number(),
        AttributeType::Complex => value.is_object(),
    };
    if fits {
        Ok(value.clone())
    } else {
        Err(type_error(a, value))
    }
}

fn type_error(a: &Attribute, value: &Value) -> Fail {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    Fail::invalid_value(format!(
        "`{}` takes {} values, not {found}",
        a.name,
        match a.ty {
            AttributeType::Complex => "complex (object)",
            other => other.as_str(),
        }
    ))
}

// ----- JSON object helpers ---------------------------------------------------------------------

/// The object holding the attributes of `ext` (the resource itself for the core schema),
/// created when asked.
fn container<'m>(
    root: &'m mut Map<String, Value>,
    ext: Option<&SchemaDef>,
    create: bool,
) -> Option<&'m mut Map<String, Value>> {
    let Some(ext) = ext else {
        return Some(root);
    };
    rename_ci(root, &ext.id);
    if create {
        let slot = root
            .entry(ext.id.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
    }
    root.get_mut(&*ext.id).and_then(Value::as_object_mut)
}

/// The object value of complex attribute `a` in `obj`, created (or reset, if it is not an
/// object) when needed.
fn object_slot<'m>(obj: &'m mut Map<String, Value>, a: &Attribute) -> &'m mut Map<String, Value> {
    rename_ci(obj, &a.name);
    let slot = obj
        .entry(a.name.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(members) => members,
        _ => unreachable!("just made an object"),
    }
}

/// Takes the values of multi-valued attribute `a` out of `obj` (a lone value counts as one).
fn take_list(obj: &mut Map<String, Value>, a: &Attribute) -> Vec<Value> {
    rename_ci(obj, &a.name);
    match obj.remove(&*a.name) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(item) => vec![item],
    }
}

/// Stores the values of multi-valued attribute `a`; none leaves it unassigned.
fn put_list(obj: &mut Map<String, Value>, a: &Attribute, list: Vec<Value>) {
    remove_ci(obj, &a.name);
    if !list.is_empty() {
        obj.insert(a.name.to_string(), Value::Array(list));
    }
}

/// Sets `name` to `value`, dropping members that spell the name in another case.
fn put(obj: &mut Map<String, Value>, name: &str, value: Value) {
    rename_ci(obj, name);
    obj.insert(name.to_owned(), value);
}

/// Renames the member spelled `name` in any case to `name` (dropping further spellings).
fn rename_ci(obj: &mut Map<String, Value>, name: &str) {
    let others: Vec<String> = obj
        .keys()
        .filter(|k| k.as_str() != name && k.eq_ignore_ascii_case(name))
        .cloned()
        .collect();
    for key in others {
        if let Some(value) = obj.remove(&key)
            && !obj.contains_key(name)
        {
            obj.insert(name.to_owned(), value);
        }
    }
}

fn remove_ci(obj: &mut Map<String, Value>, name: &str) {
    obj.retain(|k, _| !k.eq_ignore_ascii_case(name));
}

fn get_mut_ci<'m>(obj: &'m mut Map<String, Value>, name: &str) -> Option<&'m mut Value> {
    rename_ci(obj, name);
    obj.get_mut(name)
}

/// How an attribute is named in messages: `name.givenName`, `urn:...:User:department`.
fn describe(ext: Option<&SchemaDef>, a: &Attribute, sub: Option<&Attribute>) -> String {
    let mut out = String::new();
    if let Some(ext) = ext {
        out.push_str(&ext.id);
        out.push(':');
    }
    out.push_str(&a.name);
    if let Some(sub) = sub {
        out.push('.');
        out.push_str(&sub.name);
    }
    out
}
