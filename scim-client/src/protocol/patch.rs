use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::de::{Fields, check_schemas};
use super::error::{ScimError, ScimType};

/// The `PatchOp` message (RFC 7644 section 3.5.2): an ordered list of operations applied
/// atomically to one resource.
///
/// Keys are read case-insensitively (`Operations`, `operations`), and so is `op` (`"Add"`,
/// `"REPLACE"`, as Microsoft Entra ID sends). Each `value` is kept as JSON, exactly as given:
/// empty values inside it (`[]` to clear a list) are sent as they are.
///
/// ```
/// use scim_client::protocol::{PatchOp, PatchOpKind};
/// use serde_json::json;
///
/// let patch = PatchOp::new()
///     .replace("displayName", "Babs")
///     .add("emails", json!([{"value": "babs@example.com", "type": "home"}]))
///     .remove(r#"phoneNumbers[type eq "fax"]"#);
/// patch.validate()?;
/// assert_eq!(serde_json::to_value(&patch)?, json!({
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [
///         {"op": "replace", "path": "displayName", "value": "Babs"},
///         {"op": "add", "path": "emails", "value": [{"value": "babs@example.com", "type": "home"}]},
///         {"op": "remove", "path": "phoneNumbers[type eq \"fax\"]"}
///     ]
/// }));
///
/// let entra: PatchOp = serde_json::from_str(
///     r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///         "operations": [{"op": "Replace", "path": "active", "value": false}]}"#,
/// )?;
/// assert_eq!(entra.operations[0].op, PatchOpKind::Replace);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct PatchOp {
    /// The operations, in order (`Operations`).
    pub operations: Vec<PatchOperation>,
}

impl PatchOp {
    /// The message URN.
    pub const SCHEMA: &'static str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /// An empty patch (add operations before sending it).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an operation.
    #[must_use]
    pub fn push(mut self, operation: PatchOperation) -> Self {
        self.operations.push(operation);
        self
    }

    /// Appends `add` of `value` at `path`.
    #[must_use]
    pub fn add(self, path: impl Into<String>, value: impl Into<Value>) -> Self {
        self.push(PatchOperation::add(path, value))
    }

    /// Appends `add` without a path: `value` is an object whose attributes are added to the
    /// resource.
    #[must_use]
    pub fn add_to_resource(self, value: impl Into<Value>) -> Self {
        self.push(PatchOperation::add_to_resource(value))
    }

    /// Appends `replace` of the value at `path` with `value`.
    #[must_use]
    pub fn replace(self, path: impl Into<String>, value: impl Into<Value>) -> Self {
        self.push(PatchOperation::replace(path, value))
    }

    /// Appends `replace` without a path: `value` is an object whose attributes replace the
    /// resource's.
    #[must_use]
    pub fn replace_in_resource(self, value: impl Into<Value>) -> Self {
        self.push(PatchOperation::replace_in_resource(value))
    }

    /// Appends `remove` of the value(s) at `path`.
    #[must_use]
    pub fn remove(self, path: impl Into<String>) -> Self {
        self.push(PatchOperation::remove(path))
    }

    /// Checks the structural rules of RFC 7644 section 3.5.2 that need no schema: at least one
    /// operation, `remove` has a `path`, `add` has a non-null `value`, `replace` has a `value`
    /// member (an explicit `null` is allowed: it unassigns).
    ///
    /// # Errors
    ///
    /// The first broken rule, as the `400` a server would answer: `noTarget` for a `remove`
    /// without a path, `invalidValue` otherwise; `detail` names the operation
    /// (`Operations[1]`).
    ///
    /// ```
    /// use scim_client::protocol::{PatchOp, PatchOperation, PatchOpKind, ScimType};
    /// let bad = PatchOp::new().push(PatchOperation::new(PatchOpKind::Remove, None, None));
    /// let e = bad.validate().unwrap_err();
    /// assert_eq!((e.status, e.scim_type), (400, Some(ScimType::NoTarget)));
    /// assert!(PatchOp::new().validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), ScimError> {
        let fail =
            |t: ScimType, d: String| Err(ScimError::new(400).with_scim_type(t).with_detail(d));
        if self.operations.is_empty() {
            return fail(
                ScimType::InvalidValue,
                "a PatchOp needs at least one operation in `Operations`".to_owned(),
            );
        }
        for (i, o) in self.operations.iter().enumerate() {
            match o.op {
                PatchOpKind::Remove if o.path.as_deref().is_none_or(str::is_empty) => {
                    return fail(
                        ScimType::NoTarget,
                        format!("Operations[{i}]: `remove` needs a `path`"),
                    );
                }
                PatchOpKind::Add if o.value.as_ref().is_none_or(Value::is_null) => {
                    return fail(
                        ScimType::InvalidValue,
                        format!("Operations[{i}]: `add` needs a `value`"),
                    );
                }
                PatchOpKind::Replace if o.value.is_none() => {
                    return fail(
                        ScimType::InvalidValue,
                        format!("Operations[{i}]: `replace` needs a `value`"),
                    );
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl FromIterator<PatchOperation> for PatchOp {
    fn from_iter<I: IntoIterator<Item = PatchOperation>>(iter: I) -> Self {
        Self {
            operations: iter.into_iter().collect(),
        }
    }
}

/// One PATCH operation: `op`, an optional `path` (RFC 7644 section 3.5.2, Figure 7) and an
/// optional `value`.
///
/// `value` is `None` when the member is absent and `Some(Value::Null)` when it is an explicit
/// `null`; both are kept apart when reading and writing.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PatchOperation {
    /// What to do.
    pub op: PatchOpKind,
    /// The attribute path; `None` targets the resource itself.
    pub path: Option<String>,
    /// The value, as JSON.
    pub value: Option<Value>,
}

impl PatchOperation {
    /// An operation with every member given.
    #[must_use]
    pub fn new(op: PatchOpKind, path: Option<String>, value: Option<Value>) -> Self {
        Self { op, path, value }
    }

    /// `add` of `value` at `path`.
    #[must_use]
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(PatchOpKind::Add, Some(path.into()), Some(value.into()))
    }

    /// `add` without a path (`value` is an object of attributes to add).
    #[must_use]
    pub fn add_to_resource(value: impl Into<Value>) -> Self {
        Self::new(PatchOpKind::Add, None, Some(value.into()))
    }

    /// `replace` of the value at `path`.
    #[must_use]
    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(PatchOpKind::Replace, Some(path.into()), Some(value.into()))
    }

    /// `replace` without a path (`value` is an object of attributes to replace).
    #[must_use]
    pub fn replace_in_resource(value: impl Into<Value>) -> Self {
        Self::new(PatchOpKind::Replace, None, Some(value.into()))
    }

    /// `remove` of the value(s) at `path`.
    #[must_use]
    pub fn remove(path: impl Into<String>) -> Self {
        Self::new(PatchOpKind::Remove, Some(path.into()), None)
    }
}

impl Serialize for PatchOp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("schemas", &[Self::SCHEMA])?;
        map.serialize_entry("Operations", &self.operations)?;
        map.end()
    }
}

impl Serialize for PatchOperation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("op", &self.op)?;
        if let Some(p) = &self.path {
            map.serialize_entry("path", p)?;
        }
        if let Some(v) = &self.value {
            map.serialize_entry("value", v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for PatchOp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = PatchOp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM PatchOp object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PatchOp, A::Error> {
                let mut fields = Fields::new(["schemas", "Operations"]);
                let mut out = PatchOp::default();
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("schemas") => check_schemas(&mut map, PatchOp::SCHEMA)?,
                        Some("Operations") => {
                            out.operations = map
                                .next_value::<Option<Vec<PatchOperation>>>()?
                                .unwrap_or_default();
                        }
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for PatchOperation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = PatchOperation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a PATCH operation object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PatchOperation, A::Error> {
                let mut fields = Fields::new(["op", "path", "value"]);
                let (mut op, mut path, mut value) = (None, None, None);
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("op") => op = Some(map.next_value::<PatchOpKind>()?),
                        Some("path") => path = map.next_value::<Option<String>>()?,
                        // Present, even as `null`, is kept apart from absent.
                        Some("value") => value = Some(map.next_value::<Value>()?),
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                let op = op.ok_or_else(|| de::Error::missing_field("op"))?;
                Ok(PatchOperation { op, path, value })
            }
        }
        d.deserialize_map(V)
    }
}

/// The PATCH operation kind (`op`); read case-insensitively, written in lower case.
///
/// ```
/// use scim_client::protocol::PatchOpKind;
/// let op: PatchOpKind = serde_json::from_str("\"REPLACE\"").unwrap();
/// assert_eq!(op, PatchOpKind::Replace);
/// assert_eq!(op.to_string(), "replace");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PatchOpKind {
    /// `add`.
    Add,
    /// `remove`.
    Remove,
    /// `replace`.
    Replace,
}

impl PatchOpKind {
    /// The value as written on the wire.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            PatchOpKind::Add => "add",
            PatchOpKind::Remove => "remove",
            PatchOpKind::Replace => "replace",
        }
    }

    /// Reads the value, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [PatchOpKind::Add, PatchOpKind::Remove, PatchOpKind::Replace]
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for PatchOpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PatchOpKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PatchOpKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PatchOpKind::parse(&s).ok_or_else(|| {
            de::Error::custom(format_args!(
                "unknown PATCH op `{s}`, expected `add`, `remove` or `replace`"
            ))
        })
    }
}
