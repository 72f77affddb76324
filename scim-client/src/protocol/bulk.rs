use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::de::{Fields, Status, check_schemas};
use super::error::ScimError;
use super::patch::PatchOp;
use crate::codec::{self, Context};
use crate::error::{Error, Rule, Violation, Violations};
use crate::resource::{Resource, ResourceKind};

/// The HTTP method of a bulk operation; read case-insensitively, written in upper case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BulkMethod {
    /// `POST`: create.
    Post,
    /// `PUT`: replace.
    Put,
    /// `PATCH`: modify.
    Patch,
    /// `DELETE`: delete.
    Delete,
}

impl BulkMethod {
    /// The method as written on the wire.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            BulkMethod::Post => "POST",
            BulkMethod::Put => "PUT",
            BulkMethod::Patch => "PATCH",
            BulkMethod::Delete => "DELETE",
        }
    }

    /// Reads the method, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            BulkMethod::Post,
            BulkMethod::Put,
            BulkMethod::Patch,
            BulkMethod::Delete,
        ]
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for BulkMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for BulkMethod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for BulkMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BulkMethod::parse(&s).ok_or_else(|| {
            de::Error::custom(format_args!(
                "unknown bulk method `{s}`, expected POST, PUT, PATCH or DELETE"
            ))
        })
    }
}

/// The `BulkRequest` message (RFC 7644 section 3.7): many operations in one `POST /Bulk`.
///
/// ```
/// use scim_client::model::{Group, User};
/// use scim_client::protocol::{BulkMethod, BulkOperation, BulkRequest, PatchOp};
///
/// let alice = User::<()>::new("alice");
/// let bulk = BulkRequest::new()
///     .fail_on_errors(1)
///     .push(BulkOperation::create("qwerty", &alice)?)
///     .push(BulkOperation::patch::<Group>("e9e30dba", &PatchOp::new()
///         .add("members", serde_json::json!([{"value": "bulkId:qwerty"}]))))
///     .push(BulkOperation::delete::<User>("b7c14771"));
/// let body = serde_json::to_value(&bulk)?;
/// assert_eq!(body["failOnErrors"], 1);
/// assert_eq!(body["Operations"][0]["path"], "/Users");
/// assert_eq!(body["Operations"][0]["data"]["userName"], "alice");
/// assert_eq!(body["Operations"][1]["method"], "PATCH");
/// assert_eq!(body["Operations"][2]["path"], "/Users/b7c14771");
/// assert_eq!(bulk.operations[2].method, BulkMethod::Delete);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct BulkRequest {
    /// The number of errors after which the server stops processing (`failOnErrors`).
    pub fail_on_errors: Option<u32>,
    /// The operations, in order (`Operations`).
    pub operations: Vec<BulkOperation>,
}

impl BulkRequest {
    /// The message URN.
    pub const SCHEMA: &'static str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    /// An empty bulk request.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops the server after this many errors.
    #[must_use]
    pub fn fail_on_errors(mut self, n: u32) -> Self {
        self.fail_on_errors = Some(n);
        self
    }

    /// Appends an operation.
    #[must_use]
    pub fn push(mut self, operation: BulkOperation) -> Self {
        self.operations.push(operation);
        self
    }
}

/// One operation of a [`BulkRequest`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BulkOperation {
    /// The HTTP method.
    pub method: BulkMethod,
    /// The client's temporary id for a created resource, referenced elsewhere in the request
    /// as `bulkId:<id>` (required for `POST`).
    pub bulk_id: Option<String>,
    /// The resource version (`ETag`) the operation is conditional on.
    pub version: Option<String>,
    /// The resource path relative to the base URL (`/Users`, `/Groups/e9e30dba`).
    pub path: String,
    /// The body: a resource for `POST` and `PUT`, a `PatchOp` for `PATCH`, nothing for
    /// `DELETE`.
    pub data: Option<Value>,
}

impl BulkOperation {
    /// An operation with `method` on `path` and nothing else.
    #[must_use]
    pub fn new(method: BulkMethod, path: impl Into<String>) -> Self {
        Self {
            method,
            bulk_id: None,
            version: None,
            path: path.into(),
            data: None,
        }
    }

    /// The same operation with a `bulkId`.
    #[must_use]
    pub fn with_bulk_id(mut self, bulk_id: impl Into<String>) -> Self {
        self.bulk_id = Some(bulk_id.into());
        self
    }

    /// The same operation, conditional on this resource version.
    #[must_use]
    pub fn with_version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// The same operation with this body.
    #[must_use]
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    /// `POST` of `resource` to its endpoint, written in the bulk request context (read-only
    /// attributes left out, required ones checked).
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] when the resource breaks a rule of the context.
    pub fn create<R: ResourceKind>(
        bulk_id: impl Into<String>,
        resource: &R,
    ) -> Result<Self, Error> {
        let (endpoint, _) = resource.__target()?;
        Ok(Self::new(BulkMethod::Post, endpoint)
            .with_bulk_id(bulk_id)
            .with_data(resource.__encode_value(Context::BulkRequest)?))
    }

    /// `PUT` of `resource` to its location, conditional on its `meta.version` when set.
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] when the resource has no `id` or breaks a rule of the
    /// context.
    pub fn replace<R: ResourceKind>(resource: &R) -> Result<Self, Error> {
        let (endpoint, _) = resource.__target()?;
        let path = resource
            .__id()
            .map(|id| codec::resource_path(&endpoint, id))
            .ok_or_else(|| {
                Error::RequestValidation(Violations(vec![Violation {
                    attribute: String::from("id"),
                    rule: Rule::Required,
                    context: Context::BulkRequest,
                }]))
            })?;
        let mut op = Self::new(BulkMethod::Put, path)
            .with_data(resource.__encode_value(Context::BulkRequest)?);
        op.version = resource.__version().map(str::to_owned);
        Ok(op)
    }

    /// `PATCH` of the resource of type `R` with this `id`.
    #[must_use]
    pub fn patch<R: Resource>(id: &str, patch: &PatchOp) -> Self {
        let data = serde_json::to_value(patch).unwrap_or_default();
        Self::new(BulkMethod::Patch, codec::resource_path(R::ENDPOINT, id)).with_data(data)
    }

    /// `DELETE` of the resource of type `R` with this `id`.
    #[must_use]
    pub fn delete<R: Resource>(id: &str) -> Self {
        Self::new(BulkMethod::Delete, codec::resource_path(R::ENDPOINT, id))
    }
}

/// The `BulkResponse` message (RFC 7644 section 3.7): one result per operation processed.
///
/// ```
/// use scim_client::protocol::{BulkResponse, ScimType};
///
/// let r: BulkResponse = serde_json::from_str(r#"{
///   "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],
///   "Operations": [
///     {"method": "POST", "bulkId": "qwerty", "status": {"code": "201"},
///      "location": "https://example.com/v2/Users/92b725cd"},
///     {"method": "POST", "bulkId": "ytrewq", "status": 400, "response": {
///        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
///        "scimType": "invalidSyntax", "status": "400"}}
///   ]
/// }"#)?;
/// assert!(r.get("qwerty").unwrap().is_success());
/// let failed = r.get("ytrewq").unwrap().error().unwrap();
/// assert_eq!(failed.scim_type, Some(ScimType::InvalidSyntax));
/// assert_eq!(r.errors().count(), 1);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct BulkResponse {
    /// The results, in the order the server processed the operations (`Operations`).
    pub operations: Vec<BulkOperationResponse>,
}

impl BulkResponse {
    /// The message URN.
    pub const SCHEMA: &'static str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    /// A response holding these results.
    #[must_use]
    pub fn new(operations: Vec<BulkOperationResponse>) -> Self {
        Self { operations }
    }

    /// The result of the operation with this `bulkId`.
    #[must_use]
    pub fn get(&self, bulk_id: &str) -> Option<&BulkOperationResponse> {
        self.operations
            .iter()
            .find(|o| o.bulk_id.as_deref() == Some(bulk_id))
    }

    /// The operations that failed, with their errors.
    pub fn errors(&self) -> impl Iterator<Item = (&BulkOperationResponse, ScimError)> {
        self.operations
            .iter()
            .filter_map(|o| o.error().map(|e| (o, e)))
    }
}

/// The result of one bulk operation.
///
/// `status` is read from a string (`"201"`, RFC 7644 section 3.7.3), a number, or an object
/// with a `code` member (`{"code": "201"}`, section 3.7.2), and written as a string.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BulkOperationResponse {
    /// The URL of the resource the operation created or touched.
    pub location: Option<String>,
    /// The HTTP method of the operation.
    pub method: Option<BulkMethod>,
    /// The `bulkId` of the operation, when it had one.
    pub bulk_id: Option<String>,
    /// The new version (`ETag`) of the resource.
    pub version: Option<String>,
    /// The HTTP status of the operation.
    pub status: u16,
    /// The body: a SCIM `Error` for failures, optionally the resource for successes.
    pub response: Option<Value>,
}

impl BulkOperationResponse {
    /// A result with this status and nothing else.
    #[must_use]
    pub const fn new(status: u16) -> Self {
        Self {
            location: None,
            method: None,
            bulk_id: None,
            version: None,
            status,
            response: None,
        }
    }

    /// Whether the operation succeeded (a 2xx status).
    #[must_use]
    pub const fn is_success(&self) -> bool {
        self.status >= 200 && self.status < 300
    }

    /// The error of a failed operation: its `response` when that is a SCIM error, else an
    /// error with the operation's status only. `None` when the operation succeeded.
    #[must_use]
    pub fn error(&self) -> Option<ScimError> {
        if self.is_success() {
            return None;
        }
        let parsed = self
            .response
            .as_ref()
            .filter(|v| ScimError::is_error_body(v))
            .and_then(|v| ScimError::deserialize(v).ok());
        Some(parsed.unwrap_or_else(|| ScimError::new(self.status)))
    }
}

impl Serialize for BulkRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("schemas", &[Self::SCHEMA])?;
        if let Some(n) = self.fail_on_errors {
            map.serialize_entry("failOnErrors", &n)?;
        }
        map.serialize_entry("Operations", &self.operations)?;
        map.end()
    }
}

impl Serialize for BulkOperation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("method", &self.method)?;
        if let Some(v) = &self.bulk_id {
            map.serialize_entry("bulkId", v)?;
        }
        if let Some(v) = &self.version {
            map.serialize_entry("version", v)?;
        }
        map.serialize_entry("path", &self.path)?;
        if let Some(v) = &self.data {
            map.serialize_entry("data", v)?;
        }
        map.end()
    }
}

impl Serialize for BulkResponse {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("schemas", &[Self::SCHEMA])?;
        map.serialize_entry("Operations", &self.operations)?;
        map.end()
    }
}

impl Serialize for BulkOperationResponse {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if let Some(v) = &self.location {
            map.serialize_entry("location", v)?;
        }
        if let Some(v) = &self.method {
            map.serialize_entry("method", v)?;
        }
        if let Some(v) = &self.bulk_id {
            map.serialize_entry("bulkId", v)?;
        }
        if let Some(v) = &self.version {
            map.serialize_entry("version", v)?;
        }
        map.serialize_entry("status", &self.status.to_string())?;
        if let Some(v) = &self.response {
            map.serialize_entry("response", v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for BulkRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = BulkRequest;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM BulkRequest object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BulkRequest, A::Error> {
                let mut fields = Fields::new(["schemas", "failOnErrors", "Operations"]);
                let mut out = BulkRequest::default();
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("schemas") => check_schemas(&mut map, BulkRequest::SCHEMA)?,
                        Some("failOnErrors") => out.fail_on_errors = map.next_value()?,
                        Some("Operations") => {
                            out.operations = map
                                .next_value::<Option<Vec<BulkOperation>>>()?
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

impl<'de> Deserialize<'de> for BulkOperation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = BulkOperation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a bulk operation object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BulkOperation, A::Error> {
                let mut fields = Fields::new(["method", "bulkId", "version", "path", "data"]);
                let (mut method, mut path) = (None, None);
                let (mut bulk_id, mut version, mut data) = (None, None, None);
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("method") => method = Some(map.next_value::<BulkMethod>()?),
                        Some("bulkId") => bulk_id = map.next_value()?,
                        Some("version") => version = map.next_value()?,
                        Some("path") => path = Some(map.next_value::<String>()?),
                        Some("data") => data = map.next_value::<Option<Value>>()?,
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(BulkOperation {
                    method: method.ok_or_else(|| de::Error::missing_field("method"))?,
                    bulk_id,
                    version,
                    path: path.ok_or_else(|| de::Error::missing_field("path"))?,
                    data,
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for BulkResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = BulkResponse;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM BulkResponse object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BulkResponse, A::Error> {
                let mut fields = Fields::new(["schemas", "Operations"]);
                let mut out = BulkResponse::default();
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("schemas") => check_schemas(&mut map, BulkResponse::SCHEMA)?,
                        Some("Operations") => {
                            out.operations = map
                                .next_value::<Option<Vec<BulkOperationResponse>>>()?
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

impl<'de> Deserialize<'de> for BulkOperationResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = BulkOperationResponse;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a bulk operation result object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<BulkOperationResponse, A::Error> {
                let mut fields = Fields::new([
                    "location", "method", "bulkId", "version", "status", "response",
                ]);
                let mut out = BulkOperationResponse::new(0);
                let mut status = None;
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match fields.find::<A::Error>(&key.0)? {
                        Some("location") => out.location = map.next_value()?,
                        Some("method") => out.method = map.next_value()?,
                        Some("bulkId") => out.bulk_id = map.next_value()?,
                        Some("version") => out.version = map.next_value()?,
                        Some("status") => status = Some(map.next_value::<Status>()?.0),
                        Some("response") => out.response = map.next_value::<Option<Value>>()?,
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                out.status = status.ok_or_else(|| de::Error::missing_field("status"))?;
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}
