//! Bulk operations (RFC 7644 section 3.7): the typed builder [`Bulk`], the async
//! [`Client::bulk`] and the blocking mirror, and the sans-I/O plan both drive (limits,
//! splitting, `bulkId:` rewriting, result matching).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use http::{HeaderMap, Method};
use serde_json::Value;

use super::Client;
use super::core::{self, Checked, Op};
use crate::codec::{self, Context, UnknownPolicy};
use crate::dynamic::{DynamicResource, ResourceSchema};
use crate::error::{Error, Violation, Violations};
use crate::model::ServiceProviderConfig;
use crate::protocol::{
    BulkMethod, BulkOperation, BulkOperationResponse, BulkRequest, BulkResponse, PatchOp,
    ScimError, ScimType,
};
use crate::resource::{Resource, ResourceKind};
use crate::schema::SchemaDef;
use crate::transport::Transport;

/// The literal that starts a reference to a resource created in the same bulk (RFC 7644
/// section 3.7.2).
const PREFIX: &str = "bulkId:";

/// The statuses `POST /Bulk` answers on success.
const EXPECTED: &[u16] = &[200];

/// Whether a character may appear in a `bulkId` (and so continues a `bulkId:` reference).
fn is_id_char(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '"' | '\'' | '/' | '\\' | '?' | '#' | '[' | ']' | '(' | ')' | '{' | '}' | ','
        ))
}

/// The `bulkId:` references in a string: the byte range of each `bulkId:<id>` and its id.
fn references(s: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = s[from..].find(PREFIX) {
        let start = from + found;
        let id_start = start + PREFIX.len();
        let id_len = s[id_start..]
            .find(|c: char| !is_id_char(c))
            .unwrap_or(s.len() - id_start);
        if id_len > 0 {
            out.push((start..id_start + id_len, &s[id_start..id_start + id_len]));
        }
        from = id_start + id_len;
    }
    out
}

/// Calls `f` on every string inside a JSON value.
fn for_each_string<'a>(value: &'a Value, f: &mut impl FnMut(&'a str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(a) => a.iter().for_each(|v| for_each_string(v, f)),
        Value::Object(o) => o.values().for_each(|v| for_each_string(v, f)),
        _ => {}
    }
}

/// Replaces the references of `s` to ids in `ids` (answering `None` when nothing changes),
/// passing each real id through `encode`.
fn rewrite(
    s: &str,
    ids: &HashMap<String, String>,
    encode: impl Fn(&str) -> String,
) -> Option<String> {
    let refs = references(s);
    if !refs.iter().any(|(_, id)| ids.contains_key(*id)) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 32);
    let mut last = 0;
    for (range, id) in refs {
        if let Some(real) = ids.get(id) {
            out.push_str(&s[last..range.start]);
            out.push_str(&encode(real));
            last = range.end;
        }
    }
    out.push_str(&s[last..]);
    Some(out)
}

/// Rewrites the references inside a JSON value, in place.
fn rewrite_value(value: &mut Value, ids: &HashMap<String, String>) {
    match value {
        Value::String(s) => {
            if let Some(new) = rewrite(s, ids, str::to_owned) {
                *s = new;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rewrite_value(v, ids)),
        Value::Object(o) => o.values_mut().for_each(|v| rewrite_value(v, ids)),
        _ => {}
    }
}

/// A real id as one percent-encoded path segment.
fn path_segment(id: &str) -> String {
    codec::resource_path("", id)
        .trim_start_matches('/')
        .to_owned()
}

/// The error of a builder step, naming the operation: validation failures get their
/// attribute prefixed with `Operations[i].data.`, other errors say `bulk operation i`.
fn at_operation(index: usize, error: Error) -> Error {
    match error {
        Error::RequestValidation(Violations(list)) => Error::RequestValidation(Violations(
            list.into_iter()
                .map(|mut v: Violation| {
                    v.attribute = format!("Operations[{index}].data.{}", v.attribute);
                    v
                })
                .collect(),
        )),
        Error::InvalidRequest(msg) => {
            Error::InvalidRequest(format!("bulk operation {index}: {msg}"))
        }
        other => Error::InvalidRequest(format!("bulk operation {index}: {other}")),
    }
}

/// A handle on a create added to a [`Bulk`]: its `bulkId`, usable as a reference in later
/// operations of the same bulk ([`BulkRef::reference`]), and the key of its result
/// ([`BulkResults::id_of`], [`BulkResults::get`]).
pub struct BulkRef<R> {
    index: usize,
    bulk_id: String,
    _resource: PhantomData<fn() -> R>,
}

impl<R> BulkRef<R> {
    /// The position of the operation in the bulk (0 for the first one added).
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// The `bulkId` (`b1`, or the one given to [`Bulk::create_with_bulk_id`]).
    #[must_use]
    pub fn bulk_id(&self) -> &str {
        &self.bulk_id
    }

    /// The reference to the created resource, `bulkId:<bulkId>`, to use as an attribute
    /// value (a group member's `value`, a manager's `value`) or as the id of a later
    /// [`Bulk::patch`], [`Bulk::delete`] or replace. The server (or, across requests,
    /// [`Client::bulk`]) replaces it with the real id.
    #[must_use]
    pub fn reference(&self) -> String {
        format!("{PREFIX}{}", self.bulk_id)
    }
}

impl<R> Clone for BulkRef<R> {
    fn clone(&self) -> Self {
        Self {
            index: self.index,
            bulk_id: self.bulk_id.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R> fmt::Debug for BulkRef<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkRef")
            .field("index", &self.index)
            .field("bulk_id", &self.bulk_id)
            .finish()
    }
}

impl<R> PartialEq for BulkRef<R> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && self.bulk_id == other.bulk_id
    }
}

impl<R> Eq for BulkRef<R> {}

impl<R> std::hash::Hash for BulkRef<R> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state);
        self.bulk_id.hash(state);
    }
}

/// One operation of a [`Bulk`], with what [`Client::bulk`] needs to place it.
#[derive(Clone, Debug)]
struct Entry {
    op: BulkOperation,
    /// The core schema URN and default endpoint of the resource type, so the endpoint learnt
    /// by `discover` can replace the default one.
    target: Option<(&'static SchemaDef, &'static str)>,
}

/// A typed bulk request (RFC 7644 section 3.7), sent with [`Client::bulk`].
///
/// Resources are written in the bulk request context as they are added (read-only
/// attributes left out, required ones checked): an error names the operation
/// (`Operations[2].data.userName`). Creates get a generated `bulkId` (`b1`, `b2`...) unless
/// one is given, and answer a [`BulkRef`] whose [`reference`](BulkRef::reference) may appear
/// anywhere in later (or earlier) operations.
///
/// ```
/// use scim_client::client::Bulk;
/// use scim_client::model::{Group, GroupMember, User};
/// use scim_client::protocol::PatchOp;
///
/// let mut bulk = Bulk::new().fail_on_errors(2);
/// let alice = bulk.create(&User::<()>::new("alice"))?;
/// let group = bulk.create(&Group {
///     display_name: Some("Tour Guides".into()),
///     members: vec![GroupMember { value: Some(alice.reference()), ..Default::default() }],
///     ..Group::default()
/// })?;
/// bulk.patch::<User>(&alice.reference(), &PatchOp::new().replace("active", false))?;
/// bulk.delete::<User>("2819c223")?;
/// assert_eq!((alice.bulk_id(), group.bulk_id()), ("b1", "b2"));
///
/// let body = serde_json::to_value(bulk.to_request())?;
/// assert_eq!(body["failOnErrors"], 2);
/// assert_eq!(body["Operations"][1]["data"]["members"][0]["value"], "bulkId:b1");
/// assert_eq!(body["Operations"][2]["path"], "/Users/bulkId:b1");
/// assert_eq!(body["Operations"][3]["method"], "DELETE");
///
/// // A missing required attribute is refused at once, naming the operation.
/// let err = bulk.create(&User::<()>::default()).unwrap_err();
/// assert!(err.to_string().contains("Operations[4].data.userName"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct Bulk {
    entries: Vec<Entry>,
    /// The `bulkId`s of creates, to their operation.
    creates: HashMap<String, usize>,
    /// Every `bulkId` in use (creates and raw operations).
    taken: HashSet<String>,
    counter: u64,
    fail_on_errors: Option<u32>,
    max_operations: Option<usize>,
    max_payload_size: Option<usize>,
}

impl Bulk {
    /// An empty bulk.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops after this many failed operations (`failOnErrors`), counted across every
    /// request the bulk is split into. `0` is treated as `1`.
    pub fn fail_on_errors(mut self, errors: u32) -> Self {
        self.fail_on_errors = Some(errors.max(1));
        self
    }

    /// At most this many operations per request, in addition to the server's
    /// `maxOperations`. `0` is treated as `1`.
    pub fn max_operations(mut self, operations: usize) -> Self {
        self.max_operations = Some(operations.max(1));
        self
    }

    /// At most this many bytes per request body, in addition to the server's
    /// `maxPayloadSize`.
    pub fn max_payload_size(mut self, bytes: usize) -> Self {
        self.max_payload_size = Some(bytes);
        self
    }

    /// The number of operations.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no operation.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The whole bulk as one [`BulkRequest`], as built (what one request would carry when the
    /// server's limits allow it).
    #[must_use]
    pub fn to_request(&self) -> BulkRequest {
        let mut request = BulkRequest::new();
        request.fail_on_errors = self.fail_on_errors;
        request.operations = self.entries.iter().map(|e| e.op.clone()).collect();
        request
    }

    fn next_bulk_id(&mut self) -> String {
        loop {
            self.counter += 1;
            let id = format!("b{}", self.counter);
            if !self.taken.contains(&id) {
                return id;
            }
        }
    }

    fn check_bulk_id(&self, bulk_id: &str) -> Result<(), Error> {
        let index = self.entries.len();
        if bulk_id.is_empty() || !bulk_id.chars().all(is_id_char) {
            return Err(Error::InvalidRequest(format!(
                "bulk operation {index}: the bulkId `{bulk_id}` must be non-empty, without \
                 spaces, quotes, slashes, brackets, braces, parentheses, `?`, `#` or `,`"
            )));
        }
        if self.taken.contains(bulk_id) {
            return Err(Error::InvalidRequest(format!(
                "bulk operation {index}: the bulkId `{bulk_id}` is already used in this bulk"
            )));
        }
        Ok(())
    }

    fn add(
        &mut self,
        op: BulkOperation,
        target: Option<(&'static SchemaDef, &'static str)>,
    ) -> usize {
        let index = self.entries.len();
        if let Some(id) = &op.bulk_id {
            self.taken.insert(id.clone());
            if op.method == BulkMethod::Post {
                self.creates.insert(id.clone(), index);
            }
        }
        self.entries.push(Entry { op, target });
        index
    }

    /// Adds a `POST` of `resource` to its endpoint, with a generated `bulkId`.
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] when the resource breaks a rule of the bulk request
    /// context (attributes named `Operations[i].data.<attribute>`); nothing is added.
    pub fn create<R: ResourceKind>(&mut self, resource: &R) -> Result<BulkRef<R>, Error> {
        let counter = self.counter;
        let bulk_id = self.next_bulk_id();
        let created = self.create_with_bulk_id(bulk_id, resource);
        if created.is_err() {
            // A refused create does not use up its generated bulkId.
            self.counter = counter;
        }
        created
    }

    /// Adds a `POST` of `resource` with this `bulkId`.
    ///
    /// # Errors
    ///
    /// As [`Bulk::create`]; [`Error::InvalidRequest`] when the `bulkId` is already used or
    /// holds a character that would end a `bulkId:` reference (a space, a quote, `/`...).
    pub fn create_with_bulk_id<R: ResourceKind>(
        &mut self,
        bulk_id: impl Into<String>,
        resource: &R,
    ) -> Result<BulkRef<R>, Error> {
        let bulk_id = bulk_id.into();
        self.check_bulk_id(&bulk_id)?;
        let op = BulkOperation::create(bulk_id.clone(), resource)
            .map_err(|e| at_operation(self.entries.len(), e))?;
        let target = resource.__target().ok().and_then(|(_, t)| t);
        let index = self.add(op, target);
        Ok(BulkRef {
            index,
            bulk_id,
            _resource: PhantomData,
        })
    }

    /// Adds a `PUT` of `resource` to its location (its `id` may be a
    /// [`BulkRef::reference`]), conditional on its `meta.version` when set. Answers the
    /// operation's index.
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] when the resource has no `id` or breaks a rule of the
    /// context; nothing is added.
    pub fn replace<R: ResourceKind>(&mut self, resource: &R) -> Result<usize, Error> {
        let op =
            BulkOperation::replace(resource).map_err(|e| at_operation(self.entries.len(), e))?;
        let target = resource.__target().ok().and_then(|(_, t)| t);
        Ok(self.add(op, target))
    }

    /// Adds a `PATCH` of the resource of type `R` with this id (or
    /// [`BulkRef::reference`]). Answers the operation's index.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty, `.` or `..` id or a malformed patch; nothing
    /// is added.
    pub fn patch<R: Resource>(&mut self, id: &str, patch: &PatchOp) -> Result<usize, Error> {
        self.patch_at(R::ENDPOINT, id, patch, Some((R::SCHEMA, R::ENDPOINT)))
    }

    /// Adds a `DELETE` of the resource of type `R` with this id (or
    /// [`BulkRef::reference`]). Answers the operation's index.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty, `.` or `..` id; nothing is added.
    pub fn delete<R: Resource>(&mut self, id: &str) -> Result<usize, Error> {
        self.delete_at(R::ENDPOINT, id, Some((R::SCHEMA, R::ENDPOINT)))
    }

    /// Adds a `PATCH` of the resource with this id of a type known at run time (see
    /// [`Bulk::patch`]).
    ///
    /// # Errors
    ///
    /// As [`Bulk::patch`].
    pub fn patch_dynamic(
        &mut self,
        schema: &ResourceSchema,
        id: &str,
        patch: &PatchOp,
    ) -> Result<usize, Error> {
        self.patch_at(schema.endpoint(), id, patch, None)
    }

    /// Adds a `DELETE` of the resource with this id of a type known at run time.
    ///
    /// # Errors
    ///
    /// As [`Bulk::delete`].
    pub fn delete_dynamic(&mut self, schema: &ResourceSchema, id: &str) -> Result<usize, Error> {
        self.delete_at(schema.endpoint(), id, None)
    }

    /// A checked `PATCH` of `{endpoint}/{id}`.
    fn patch_at(
        &mut self,
        endpoint: &str,
        id: &str,
        patch: &PatchOp,
        target: Option<(&'static SchemaDef, &'static str)>,
    ) -> Result<usize, Error> {
        let index = self.entries.len();
        let location = core::resource_path(endpoint, id).map_err(|e| at_operation(index, e))?;
        patch.validate().map_err(|e| {
            at_operation(index, Error::InvalidRequest(format!("invalid PATCH: {e}")))
        })?;
        let data =
            serde_json::to_value(patch).map_err(|e| at_operation(index, Error::Encode(e)))?;
        let op = BulkOperation::new(BulkMethod::Patch, location).with_data(data);
        Ok(self.add(op, target))
    }

    /// A checked `DELETE` of `{endpoint}/{id}`.
    fn delete_at(
        &mut self,
        endpoint: &str,
        id: &str,
        target: Option<(&'static SchemaDef, &'static str)>,
    ) -> Result<usize, Error> {
        let location =
            core::resource_path(endpoint, id).map_err(|e| at_operation(self.entries.len(), e))?;
        Ok(self.add(BulkOperation::new(BulkMethod::Delete, location), target))
    }

    /// Adds an operation as is (no check of its data). A `POST` with a `bulkId` can be
    /// referenced like a [`Bulk::create`]. Answers the operation's index.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when a `POST` has no `bulkId`, or its `bulkId` is already
    /// used or malformed.
    pub fn push(&mut self, operation: BulkOperation) -> Result<usize, Error> {
        match &operation.bulk_id {
            Some(id) => self.check_bulk_id(id)?,
            None if operation.method == BulkMethod::Post => {
                return Err(Error::InvalidRequest(format!(
                    "bulk operation {}: a POST needs a bulkId",
                    self.entries.len()
                )));
            }
            None => {}
        }
        Ok(self.add(operation, None))
    }
}

/// The result of one operation of a bulk.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BulkOutcome {
    /// The method of the operation.
    pub method: BulkMethod,
    /// The operation's `bulkId`, for creates.
    pub bulk_id: Option<String>,
    /// The HTTP status of the operation (`201`, `409`...).
    pub status: u16,
    /// The URL of the resource the operation created or touched.
    pub location: Option<String>,
    /// The resource id: the last segment of `location`, else the `id` of the returned
    /// resource.
    pub id: Option<String>,
    /// The new version (`ETag`) of the resource.
    pub version: Option<String>,
    /// The body the server returned for the operation, if any (the resource, or a SCIM
    /// error).
    pub response: Option<Value>,
    /// The error of a failed operation (non-2xx status). An operation that references a
    /// create that failed in an earlier request is not sent and fails locally with `409`
    /// `invalidValue`.
    pub error: Option<ScimError>,
}

impl BulkOutcome {
    fn from_response(op: &BulkOperation, r: BulkOperationResponse) -> Self {
        let error = r.error();
        let id = r
            .location
            .as_deref()
            .and_then(id_from_location)
            .or_else(|| {
                r.response
                    .as_ref()
                    .filter(|_| r.is_success())
                    .and_then(|v| v.get("id"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        Self {
            method: op.method,
            bulk_id: op.bulk_id.clone(),
            status: r.status,
            location: r.location,
            id,
            version: r.version,
            response: r.response,
            error,
        }
    }

    fn local_failure(op: &BulkOperation, detail: String) -> Self {
        Self {
            method: op.method,
            bulk_id: op.bulk_id.clone(),
            status: 409,
            location: None,
            id: None,
            version: None,
            response: None,
            error: Some(
                ScimError::new(409)
                    .with_scim_type(ScimType::InvalidValue)
                    .with_detail(detail),
            ),
        }
    }

    /// The resource the server returned, as JSON of a type the program need not know (see
    /// [`DynamicResource::unbound`]); `None` when the server returned none.
    #[must_use]
    pub fn dynamic(&self) -> Option<DynamicResource> {
        let Some(Value::Object(body)) = self.response.as_ref().filter(|_| self.is_success()) else {
            return None;
        };
        let mut r = DynamicResource::unbound(body.clone());
        if let Some(v) = &self.version {
            core::fill_version(&mut r, v.clone());
        }
        Some(r)
    }

    /// The resource the server returned, checked against `schema` in the bulk response
    /// context.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] or [`Error::ResponseValidation`] when the body does not fit `schema`.
    #[must_use]
    pub fn dynamic_as(
        &self,
        schema: &Arc<ResourceSchema>,
    ) -> Option<Result<DynamicResource, Error>> {
        let mut r = self.dynamic()?;
        Some(
            r.bind(schema, Context::BulkResponse, UnknownPolicy::Keep)
                .map(|()| r),
        )
    }

    /// Whether the operation succeeded (a 2xx status).
    #[must_use]
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The resource the server returned for a successful operation, decoded and checked in
    /// the bulk response context (`meta.version` filled from `version`); `None` when the
    /// server returned none (most servers return only the `location`).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] or [`Error::ResponseValidation`] when the body is not an `R`.
    #[must_use]
    pub fn resource<R: Resource>(&self) -> Option<Result<R, Error>> {
        let body = self
            .response
            .as_ref()
            .filter(|v| self.is_success() && v.is_object())?;
        Some(
            codec::from_value::<R>(body.clone(), Context::BulkResponse).map(|mut r| {
                if let Some(v) = &self.version {
                    core::fill_version(&mut r, v.clone());
                }
                r
            }),
        )
    }
}

/// The id in a location URL: its last non-empty path segment, percent-decoded.
fn id_from_location(location: &str) -> Option<String> {
    let path = location.split(['?', '#']).next().unwrap_or_default();
    let segment = path.trim_end_matches('/').rsplit('/').next()?;
    if segment.is_empty() {
        return None;
    }
    Some(
        percent_encoding::percent_decode_str(segment)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// What [`Client::bulk`] answers: one result per operation, in the order they were added to
/// the [`Bulk`], whatever the order or grouping in which they were sent.
///
/// An operation has no result ([`BulkResults::outcome`] is `None`) when it was not processed:
/// `failOnErrors` was reached first, or a later request failed as a whole
/// ([`BulkResults::interruption`]). When that failure is a transport error (a timeout, a
/// dropped connection), the server may still have applied the operations of that request:
/// their outcome is unknown, so read the resources back before doing them again.
#[derive(Debug)]
pub struct BulkResults {
    outcomes: Vec<Option<BulkOutcome>>,
    requests: usize,
    interruption: Option<Error>,
}

impl BulkResults {
    /// The number of operations of the bulk.
    #[must_use]
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Whether the bulk had no operation.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// The result of the operation at `index` (in the order operations were added).
    #[must_use]
    pub fn outcome(&self, index: usize) -> Option<&BulkOutcome> {
        self.outcomes.get(index).and_then(Option::as_ref)
    }

    /// The result of a create.
    #[must_use]
    pub fn outcome_of<R>(&self, create: &BulkRef<R>) -> Option<&BulkOutcome> {
        self.outcome(create.index)
    }

    /// The id of the resource a create made, when it succeeded.
    #[must_use]
    pub fn id_of<R>(&self, create: &BulkRef<R>) -> Option<&str> {
        self.outcome_of(create)
            .filter(|o| o.is_success())
            .and_then(|o| o.id.as_deref())
    }

    /// The resource a create made, when the server returned it (see
    /// [`BulkOutcome::resource`]).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] or [`Error::ResponseValidation`] when the body is not an `R`.
    #[must_use]
    pub fn get<R: Resource>(&self, create: &BulkRef<R>) -> Option<Result<R, Error>> {
        self.outcome_of(create).and_then(BulkOutcome::resource)
    }

    /// Every result, in order (`None` for operations not processed).
    pub fn iter(&self) -> impl Iterator<Item = Option<&BulkOutcome>> {
        self.outcomes.iter().map(Option::as_ref)
    }

    /// The failed operations: their index and error.
    pub fn errors(&self) -> impl Iterator<Item = (usize, &ScimError)> {
        self.outcomes
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.as_ref()?.error.as_ref().map(|e| (i, e)))
    }

    /// The indexes of the operations that were not processed.
    pub fn not_processed(&self) -> impl Iterator<Item = usize> {
        self.outcomes
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.is_none().then_some(i))
    }

    /// Whether every operation was processed (successfully or not).
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.outcomes.iter().all(Option::is_some)
    }

    /// Whether every operation was processed and succeeded.
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.outcomes
            .iter()
            .all(|o| o.as_ref().is_some_and(BulkOutcome::is_success))
    }

    /// How many `POST /Bulk` requests were sent, answered or not.
    #[must_use]
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// The error that stopped the bulk after some requests had succeeded (a later request
    /// refused as a whole, a transport failure): the operations of that request and of the
    /// following ones have no result. A failure of the *first* request is returned as the
    /// `Err` of [`Client::bulk`] instead, since nothing was done then.
    #[must_use]
    pub fn interruption(&self) -> Option<&Error> {
        self.interruption.as_ref()
    }
}

// ---------------------------------------------------------------------------------------------
// The plan: which operations go in which request, reference rewriting, result matching. No
// I/O: both clients drive it with `next_body` / `record` / `fail` / `finish`.

/// Where an operation stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Not placed in a request yet.
    Queued,
    /// In the request being built or sent.
    Current,
    /// Settled: sent in an earlier request, or failed locally.
    Earlier,
}

/// An operation of the current request.
struct InFlight {
    index: usize,
    /// The path as sent (after rewriting).
    path: String,
}

pub(crate) struct Plan {
    ops: Vec<BulkOperation>,
    /// For each operation, the creates it references.
    refs: Vec<Vec<usize>>,
    /// Groups of operations that travel together, in sending order.
    queue: VecDeque<Vec<usize>>,
    outcomes: Vec<Option<BulkOutcome>>,
    stages: Vec<Stage>,
    /// Ids of resources created by earlier requests, by `bulkId`.
    created: HashMap<String, String>,
    fail_on_errors: Option<u32>,
    errors: u32,
    max_operations: Option<usize>,
    max_bytes: Option<usize>,
    in_flight: Vec<InFlight>,
    /// Requests answered with a `BulkResponse`.
    requests: usize,
    /// Requests sent (or about to be), answered or not.
    sent: usize,
    stopped: bool,
    interruption: Option<Error>,
}

/// A positive limit from the configuration (`None` for a missing or non-positive one).
fn limit(value: Option<i64>) -> Option<usize> {
    value
        .filter(|&v| v > 0)
        .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
}

fn min_limit(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The body of a request without operations: `{"schemas":[...],...,"Operations":[` and
/// `]}` are around the operations joined by commas.
fn envelope(fail_on_errors: Option<u32>) -> Result<Vec<u8>, Error> {
    let mut request = BulkRequest::new();
    request.fail_on_errors = fail_on_errors;
    let mut head = serde_json::to_vec(&request).map_err(Error::Encode)?;
    // `...,"Operations":[]}`: keep up to and including the `[`.
    head.truncate(head.len() - 2);
    Ok(head)
}

fn describe(index: usize, op: &BulkOperation) -> String {
    format!("bulk operation {index} ({} {})", op.method, op.path)
}

impl Plan {
    /// Checks the bulk against the configuration and the limits, and orders it.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the server says bulk is not supported;
    /// [`Error::InvalidRequest`] for a reference to no create of the bulk, an operation
    /// larger than the payload limit, or operations in a reference cycle that cannot travel
    /// in one request.
    pub(crate) fn new(
        bulk: Bulk,
        config: Option<&ServiceProviderConfig>,
        endpoint_of: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let server = config.and_then(|c| c.bulk.as_ref());
        if server.and_then(|b| b.supported) == Some(false) {
            return Err(Error::Unsupported("bulk".to_owned()));
        }
        let etag_off = config
            .and_then(|c| c.etag.as_ref())
            .and_then(|e| e.supported)
            == Some(false);
        let max_operations = min_limit(
            server.and_then(|b| limit(b.max_operations)),
            bulk.max_operations,
        );
        let max_bytes = min_limit(
            server.and_then(|b| limit(b.max_payload_size)),
            bulk.max_payload_size,
        );

        let mut ops = Vec::with_capacity(bulk.entries.len());
        for entry in bulk.entries {
            let mut op = entry.op;
            if let Some((schema, default)) = entry.target
                && let Some(learnt) = endpoint_of(&schema.id)
                && learnt != default
                && let Some(rest) = op.path.strip_prefix(default)
                && (rest.is_empty() || rest.starts_with('/'))
            {
                op.path = format!("{}{rest}", learnt.trim_end_matches('/'));
            }
            if etag_off {
                op.version = None;
            }
            ops.push(op);
        }

        // References: every `bulkId:` must name a create of this bulk.
        let mut refs = Vec::with_capacity(ops.len());
        for (i, op) in ops.iter().enumerate() {
            let mut found = Vec::new();
            let mut unknown = None;
            let mut collect = |s: &str| {
                for (_, id) in references(s) {
                    match bulk.creates.get(id) {
                        Some(&j) => found.push(j),
                        None => unknown = unknown.take().or_else(|| Some(id.to_owned())),
                    }
                }
            };
            collect(&op.path);
            if let Some(data) = &op.data {
                for_each_string(data, &mut collect);
            }
            if let Some(id) = unknown {
                return Err(Error::InvalidRequest(format!(
                    "{} references `{PREFIX}{id}`, which no create of this bulk defines",
                    describe(i, op)
                )));
            }
            found.sort_unstable();
            found.dedup();
            refs.push(found);
        }

        // Sizes, and whether one request is enough.
        let head = envelope(bulk.fail_on_errors)?.len() + 2;
        let mut sizes = Vec::with_capacity(ops.len());
        for (i, op) in ops.iter().enumerate() {
            let size = serde_json::to_vec(op).map_err(Error::Encode)?.len();
            if let Some(max) = max_bytes
                && head + size > max
            {
                return Err(Error::InvalidRequest(format!(
                    "{} takes {} bytes with the request around it, over the payload limit of \
                     {max} bytes",
                    describe(i, op),
                    head + size
                )));
            }
            sizes.push(size);
        }
        let total = head + sizes.iter().sum::<usize>() + ops.len().saturating_sub(1);
        let fits =
            max_operations.is_none_or(|m| ops.len() <= m) && max_bytes.is_none_or(|m| total <= m);
        let queue: VecDeque<Vec<usize>> = if fits {
            (0..ops.len()).map(|i| vec![i]).collect()
        } else {
            let units = dependency_order(&refs);
            for unit in units.iter().filter(|u| u.len() > 1) {
                let bytes = head + unit.iter().map(|&i| sizes[i]).sum::<usize>() + unit.len() - 1;
                let too_many = max_operations.is_some_and(|m| unit.len() > m);
                let too_big = max_bytes.is_some_and(|m| bytes > m);
                if too_many || too_big {
                    let list: Vec<String> = unit.iter().map(ToString::to_string).collect();
                    return Err(Error::InvalidRequest(format!(
                        "bulk operations {} reference each other in a cycle, so they must \
                         travel in one request, which would exceed the server's limits",
                        list.join(", ")
                    )));
                }
            }
            units.into()
        };

        Ok(Self {
            outcomes: vec![None; ops.len()],
            stages: vec![Stage::Queued; ops.len()],
            ops,
            refs,
            queue,
            created: HashMap::new(),
            fail_on_errors: bulk.fail_on_errors,
            errors: 0,
            max_operations,
            max_bytes,
            in_flight: Vec::new(),
            requests: 0,
            sent: 0,
            stopped: false,
            interruption: None,
        })
    }

    fn limit_reached(&self) -> bool {
        self.fail_on_errors.is_some_and(|n| self.errors >= n)
    }

    /// An operation as it will be sent: references to creates of earlier requests replaced
    /// by their ids. `Err` with the reason when one of those creates failed or was not
    /// processed.
    fn resolve(&self, index: usize) -> Result<BulkOperation, String> {
        let mut op = self.ops[index].clone();
        for &j in &self.refs[index] {
            let bulk_id = self.ops[j].bulk_id.as_deref().unwrap_or_default();
            if self.stages[j] == Stage::Earlier && !self.created.contains_key(bulk_id) {
                return Err(format!(
                    "`{PREFIX}{bulk_id}` was not created: operation {j} {}",
                    if self.outcomes[j].is_some() {
                        "failed"
                    } else {
                        "was not processed"
                    }
                ));
            }
        }
        if !self.created.is_empty() {
            if let Some(path) = rewrite(&op.path, &self.created, path_segment) {
                op.path = path;
            }
            if let Some(data) = &mut op.data {
                rewrite_value(data, &self.created);
            }
        }
        Ok(op)
    }

    /// The body of the next request, or `None` when the bulk is done.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when an operation, once its references are rewritten, no
    /// longer fits the payload limit; [`Error::Encode`].
    pub(crate) fn next_body(&mut self) -> Result<Option<Vec<u8>>, Error> {
        for flight in self.in_flight.drain(..) {
            self.stages[flight.index] = Stage::Earlier;
        }
        if self.stopped || self.limit_reached() {
            self.stopped = true;
            return Ok(None);
        }
        let remaining = self.fail_on_errors.map(|n| n - self.errors);
        let head = envelope(remaining)?;
        let mut parts: Vec<Vec<u8>> = Vec::new();
        let mut bytes = head.len() + 2;
        while let Some(unit) = self.queue.front() {
            let mut prepared = Vec::with_capacity(unit.len());
            let mut failed = Vec::new();
            for &i in unit {
                if self.outcomes[i].is_some() {
                    continue;
                }
                match self.resolve(i) {
                    Ok(op) => prepared.push((i, op)),
                    Err(reason) => failed.push((i, reason)),
                }
            }
            for (i, reason) in failed {
                self.stages[i] = Stage::Earlier;
                self.outcomes[i] = Some(BulkOutcome::local_failure(&self.ops[i], reason));
                self.errors += 1;
            }
            let mut encoded = Vec::with_capacity(prepared.len());
            for (i, op) in prepared {
                let body = serde_json::to_vec(&op).map_err(Error::Encode)?;
                encoded.push((i, op.path, body));
            }
            let added: usize = encoded.iter().map(|(_, _, b)| b.len() + 1).sum();
            let count = parts.len() + encoded.len();
            let new_bytes = bytes + added - usize::from(parts.is_empty() && !encoded.is_empty());
            let fits = self.max_operations.is_none_or(|m| count <= m)
                && self.max_bytes.is_none_or(|m| new_bytes <= m);
            if !fits {
                if parts.is_empty() {
                    let (i, _, _) = &encoded[0];
                    return Err(Error::InvalidRequest(format!(
                        "{} no longer fits the payload limit once its references are \
                         replaced by the ids the server assigned",
                        describe(*i, &self.ops[*i])
                    )));
                }
                break;
            }
            bytes = new_bytes;
            self.queue.pop_front();
            for (index, path, body) in encoded {
                self.stages[index] = Stage::Current;
                self.in_flight.push(InFlight { index, path });
                parts.push(body);
            }
            if self.limit_reached() {
                self.stopped = true;
                break;
            }
        }
        if parts.is_empty() {
            return Ok(None);
        }
        let mut body = head;
        body.reserve(bytes);
        for (n, part) in parts.iter().enumerate() {
            if n > 0 {
                body.push(b',');
            }
            body.extend_from_slice(part);
        }
        body.extend_from_slice(b"]}");
        self.sent += 1;
        Ok(Some(body))
    }

    /// The request for a body from [`Plan::next_body`].
    pub(crate) fn op(body: Vec<u8>) -> Op {
        Op {
            method: Method::POST,
            path: "/Bulk".to_owned(),
            query: Vec::new(),
            body: Some(body),
            extra: HeaderMap::new(),
            expected: EXPECTED,
            decoded: false,
        }
    }

    /// Records the answer to the current request.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not a `BulkResponse` (the caller passes it to
    /// [`Plan::fail`]).
    pub(crate) fn record(&mut self, checked: &Checked) -> Result<(), Error> {
        let body = checked.body.as_deref().ok_or(Error::UnexpectedStatus {
            status: checked.status.as_u16(),
            body: String::from("(empty body where a BulkResponse was expected)"),
        })?;
        let response: BulkResponse = codec::decode(body, "BulkResponse")?;
        self.requests += 1;
        let mut pending: Vec<InFlight> = std::mem::take(&mut self.in_flight);
        for flight in &pending {
            self.stages[flight.index] = Stage::Earlier;
        }
        for result in response.operations {
            let Some(pos) = self.match_result(&pending, &result) else {
                continue;
            };
            let flight = pending.remove(pos);
            let op = &self.ops[flight.index];
            let outcome = BulkOutcome::from_response(op, result);
            if outcome.is_success() {
                if let (BulkMethod::Post, Some(bulk_id), Some(id)) =
                    (op.method, &op.bulk_id, &outcome.id)
                {
                    self.created.insert(bulk_id.clone(), id.clone());
                }
            } else {
                self.errors += 1;
            }
            self.outcomes[flight.index] = Some(outcome);
        }
        if self.limit_reached() {
            self.stopped = true;
        }
        Ok(())
    }

    /// Which operation of the request a result answers: the one with its `bulkId`, else the
    /// first with its method (preferring one whose path ends its `location`).
    fn match_result(&self, pending: &[InFlight], result: &BulkOperationResponse) -> Option<usize> {
        if let Some(bulk_id) = &result.bulk_id
            && let Some(pos) = pending
                .iter()
                .position(|f| self.ops[f.index].bulk_id.as_deref() == Some(bulk_id.as_str()))
        {
            return Some(pos);
        }
        let candidate = |f: &InFlight| {
            let op = &self.ops[f.index];
            result.method.is_none_or(|m| m == op.method)
                && (result.bulk_id.is_none() || op.bulk_id.is_none())
        };
        let by_location = result.location.as_deref().and_then(|loc| {
            let loc = loc.split(['?', '#']).next().unwrap_or_default();
            pending.iter().position(|f| {
                candidate(f)
                    && self.ops[f.index].method != BulkMethod::Post
                    && loc.ends_with(&f.path)
            })
        });
        by_location.or_else(|| pending.iter().position(candidate))
    }

    /// Records a failed request. Answers the error when nothing was done yet (the first
    /// request); otherwise keeps it as the interruption and stops.
    ///
    /// # Errors
    ///
    /// `error` itself, when no request had succeeded.
    pub(crate) fn fail(&mut self, error: Error) -> Result<(), Error> {
        for flight in self.in_flight.drain(..) {
            self.stages[flight.index] = Stage::Earlier;
        }
        self.stopped = true;
        if self.requests == 0 && self.outcomes.iter().all(Option::is_none) {
            return Err(error);
        }
        self.interruption = Some(error);
        Ok(())
    }

    pub(crate) fn finish(self) -> BulkResults {
        BulkResults {
            outcomes: self.outcomes,
            requests: self.sent,
            interruption: self.interruption,
        }
    }
}

/// Groups the operations into units that must travel together (cycles of references), in an
/// order where every unit comes after the creates it references, otherwise keeping the order
/// the operations were added in.
fn dependency_order(refs: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = refs.len();
    let component = strongly_connected(refs);
    let count = component.iter().max().map_or(0, |m| m + 1);
    let mut units: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, &c) in component.iter().enumerate() {
        units[c].push(i);
    }
    // Unit `c` waits for the units it references.
    let mut waiting = vec![0usize; count];
    let mut unblocks: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut seen = HashSet::new();
    for i in 0..n {
        for &j in &refs[i] {
            let (from, to) = (component[j], component[i]);
            if from != to && seen.insert((from, to)) {
                waiting[to] += 1;
                unblocks[from].push(to);
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<(usize, usize)>> = (0..count)
        .filter(|&c| waiting[c] == 0)
        .map(|c| Reverse((units[c][0], c)))
        .collect();
    let mut order = Vec::with_capacity(count);
    while let Some(Reverse((_, c))) = ready.pop() {
        order.push(c);
        for &next in &unblocks[c] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(Reverse((units[next][0], next)));
            }
        }
    }
    order
        .into_iter()
        .map(|c| std::mem::take(&mut units[c]))
        .collect()
}

/// Tarjan's strongly connected components, without recursion: the component of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let (mut next, mut components) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut calls: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, edge)) = calls.last() {
            if let Some(&w) = edges[v].get(edge) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component[w] = components;
                        if w == v {
                            break;
                        }
                    }
                    components += 1;
                }
            }
        }
    }
    component
}

// ---------------------------------------------------------------------------------------------
// The clients.

impl<T: Transport> Client<T> {
    /// `POST /Bulk`: runs every operation of `bulk` and answers one result per operation, in
    /// the order they were added. Failed operations do not make this fail: read
    /// [`BulkResults::errors`].
    ///
    /// ```no_run
    /// use scim_client::Client;
    /// use scim_client::client::Bulk;
    /// use scim_client::model::{Group, GroupMember, User};
    ///
    /// # async fn run() -> Result<(), scim_client::Error> {
    /// let scim = Client::builder("https://idp.example/scim/v2").build()?;
    /// let mut bulk = Bulk::new().fail_on_errors(1);
    /// let alice = bulk.create(&User::<()>::new("alice"))?;
    /// let guides = bulk.create(&Group {
    ///     display_name: Some("Tour Guides".to_owned()),
    ///     members: vec![GroupMember {
    ///         value: Some(alice.reference()), // "bulkId:b1"
    ///         ..GroupMember::default()
    ///     }],
    ///     ..Group::default()
    /// })?;
    /// let results = scim.bulk(bulk).await?;
    /// for (index, error) in results.errors() {
    ///     eprintln!("operation {index} failed: {error}");
    /// }
    /// println!("alice is {:?}, the group {:?}", results.id_of(&alice), results.id_of(&guides));
    /// # Ok(()) }
    /// ```
    ///
    /// # Limits and splitting
    ///
    /// The `ServiceProviderConfig` is read first when the client does not know it yet. Its
    /// `bulk.maxOperations` and `bulk.maxPayloadSize`, lowered by [`Bulk::max_operations`]
    /// and [`Bulk::max_payload_size`], are the limits of one request. A bulk within them
    /// travels in one request, exactly as built. Otherwise the operations are sent in
    /// dependency order (an operation never travels before a create it references;
    /// operations that reference each other in a cycle travel together), and a `bulkId:`
    /// reference to a resource created by an earlier request is replaced by the id that
    /// request answered (from the result's `location`, else the returned resource's `id`).
    /// An operation referencing a create that failed is not sent and fails locally with
    /// `409 invalidValue`. `failOnErrors` counts the errors of every request (each request
    /// carries what remains of it): once reached, nothing more is sent. When the server
    /// says it does not support `ETag`s, operation versions are not sent. Endpoints learnt
    /// by [`Client::discover`] replace the types' default ones.
    ///
    /// # Errors
    ///
    /// Nothing is sent on [`Error::Unsupported`] (the server says it does not support bulk)
    /// or [`Error::InvalidRequest`] (a `bulkId:` reference to no create of the bulk, an
    /// operation over `maxPayloadSize`, a reference cycle over the limits). A failure of the
    /// first request (a 413, a transport error) is returned as is; the failure of a later one
    /// is kept in [`BulkResults::interruption`], since earlier requests were already applied.
    pub async fn bulk(&self, bulk: Bulk) -> Result<BulkResults, Error> {
        if bulk.is_empty() {
            return Ok(Plan::new(bulk, None, |_| None)?.finish());
        }
        let config = match self.known_config() {
            Some(config) => config,
            None => Arc::new(self.service_provider_config().await?),
        };
        let endpoints = self
            .inner
            .endpoints
            .read()
            .map(|m| m.clone())
            .unwrap_or_default();
        let mut plan = Plan::new(bulk, Some(&config), |schema| {
            endpoints.get(&schema.to_ascii_lowercase()).cloned()
        })?;
        let options = self.inner.options.clone();
        loop {
            let body = match plan.next_body() {
                Ok(Some(body)) => body,
                Ok(None) => break,
                Err(e) => {
                    plan.fail(e)?;
                    break;
                }
            };
            let answered = self.run(Plan::op(body), &options).await;
            if let Err(e) = answered.and_then(|checked| plan.record(&checked)) {
                plan.fail(e)?;
                break;
            }
        }
        Ok(plan.finish())
    }
}

#[cfg(feature = "blocking")]
impl<T: crate::transport::BlockingTransport> super::blocking::Client<T> {
    /// `POST /Bulk`, as the async [`Client::bulk`].
    ///
    /// # Errors
    ///
    /// As [`Client::bulk`].
    pub fn bulk(&self, bulk: Bulk) -> Result<BulkResults, Error> {
        if bulk.is_empty() {
            return Ok(Plan::new(bulk, None, |_| None)?.finish());
        }
        let config = match self.known_config() {
            Some(config) => config,
            None => Arc::new(self.service_provider_config()?),
        };
        let endpoints = self
            .inner
            .endpoints
            .read()
            .map(|m| m.clone())
            .unwrap_or_default();
        let mut plan = Plan::new(bulk, Some(&config), |schema| {
            endpoints.get(&schema.to_ascii_lowercase()).cloned()
        })?;
        let options = self.inner.options.clone();
        loop {
            let body = match plan.next_body() {
                Ok(Some(body)) => body,
                Ok(None) => break,
                Err(e) => {
                    plan.fail(e)?;
                    break;
                }
            };
            let answered = self.run(Plan::op(body), &options);
            if let Err(e) = answered.and_then(|checked| plan.record(&checked)) {
                plan.fail(e)?;
                break;
            }
        }
        Ok(plan.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::{dependency_order, id_from_location, references, strongly_connected};

    #[test]
    fn finds_references() {
        let refs = references(r#"bulkId:a and /Users/bulkId:b2/x, "bulkId:" bulkId:c]"#);
        let ids: Vec<&str> = refs.iter().map(|(_, id)| *id).collect();
        assert_eq!(ids, ["a", "b2", "c"]);
    }

    #[test]
    fn orders_by_dependency() {
        // 0 references 2; 3 and 4 reference each other; 1 is free.
        let refs = vec![vec![2], vec![], vec![], vec![4], vec![3]];
        let c = strongly_connected(&refs);
        assert_eq!(c[3], c[4]);
        assert_ne!(c[0], c[2]);
        assert_eq!(
            dependency_order(&refs),
            [vec![1], vec![2], vec![0], vec![3, 4]]
        );
    }

    #[test]
    fn ids_from_locations() {
        assert_eq!(
            id_from_location("https://example.com/v2/Users/92b7%20x?a=b").as_deref(),
            Some("92b7 x")
        );
        assert_eq!(id_from_location("/Groups/e9e3/").as_deref(), Some("e9e3"));
    }
}
