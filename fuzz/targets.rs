//! The logic of every fuzz target, as plain functions of the input bytes.
//!
//! Each `fuzz_targets/<name>.rs` binary includes this file and calls one function; the normal
//! test suite (`scim-client/tests/fuzz_replay.rs`) includes it too and replays the corpora and
//! the saved regressions through the same functions. So this file uses `scim_client`,
//! `serde_json` and `jiff` only (no `libfuzzer-sys`), and every check is a panic.
//!
//! What "must not happen" for every input: a panic, an abort or a stack overflow. What must hold
//! on top of that is asserted where the library promises it (see each function).
#![allow(dead_code)]

use std::sync::OnceLock;

use scim_client::codec::{self, Context, Projection, UnknownPolicy};
use scim_client::filter::Filter;
use scim_client::model::{
    EnterpriseUser, Group, Meta, ResourceType, Schema, ServiceProviderConfig, User,
};
use scim_client::patch::{self, Schemas};
use scim_client::path::{AttrPath, PatchPath};
use scim_client::protocol::{
    BulkRequest, BulkResponse, ListResponse, PatchOp, ScimError, SearchRequest,
};
use scim_client::{
    Binary, Error, Payload, Reference, Resource, ScimComplex, ScimDispatch, ScimExtension,
    ScimResource,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

// ----- a derived resource type ---------------------------------------------------------------

/// A device enrolled with the service provider: one attribute of every SCIM type, a required
/// one, a write-only one, a read-only `returned: request` one, a single-valued and a
/// multi-valued complex attribute, a multi-valued simple one, an extension and an unknown map.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:FuzzDevice",
    resource_type = "FuzzDevice"
)]
pub struct FuzzDevice {
    /// Server-assigned id.
    pub id: Option<String>,
    /// Resource metadata.
    pub meta: Option<Meta>,
    /// The manufacturer's serial number.
    #[scim(required, case_exact, uniqueness = "global", mutability = "immutable")]
    pub serial_number: String,
    /// The device class.
    #[scim(canonical_values = ["laptop", "phone"])]
    pub kind: Option<String>,
    /// The owner.
    #[scim(reference_types = ["User"])]
    pub owner: Option<Reference>,
    /// The enrolment secret.
    #[scim(mutability = "writeOnly", returned = "never")]
    pub secret: Option<String>,
    /// Last check-in.
    #[scim(mutability = "readOnly", returned = "request")]
    pub last_seen: Option<jiff::Timestamp>,
    /// Number of ports.
    pub ports: Option<i64>,
    /// Average load.
    pub load: Option<f64>,
    /// Whether the device is online.
    pub online: Option<bool>,
    /// The firmware image.
    pub firmware: Option<Binary>,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// Where the device is.
    pub location: Option<Location>,
    /// Network interfaces.
    pub interfaces: Vec<Interface>,
    /// The vendor's extension.
    #[scim(extension)]
    pub acme: Option<AcmeDevice>,
    /// What this type does not model.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// Where a device is (a single-valued complex attribute).
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
pub struct Location {
    /// The building.
    #[scim(required)]
    pub building: Option<String>,
    /// The floor.
    pub floor: Option<i64>,
    /// Since when.
    pub since: Option<jiff::Timestamp>,
}

/// A network interface (a multi-valued complex attribute with `primary`).
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
pub struct Interface {
    /// The MAC address.
    #[scim(case_exact)]
    pub value: Option<String>,
    /// The interface type.
    #[scim(rename = "type")]
    pub kind: Option<String>,
    /// Whether this is the main interface.
    pub primary: Option<bool>,
    /// The vendor's id, read-only.
    #[scim(mutability = "readOnly")]
    pub vendor_id: Option<String>,
}

/// ACME's device extension.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:acme:params:scim:schemas:extension:2.0:Device",
    name = "AcmeDevice"
)]
pub struct AcmeDevice {
    /// The asset tag.
    #[scim(required)]
    pub asset_tag: Option<String>,
    /// Maintenance windows.
    pub windows: Vec<String>,
    /// The contract.
    pub contract: Option<Contract>,
}

/// A maintenance contract.
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
pub struct Contract {
    /// The contract number.
    pub value: Option<String>,
    /// When it ends.
    pub ends: Option<jiff::Timestamp>,
}

/// Anything a root search may return.
#[allow(clippy::large_enum_variant)]
#[derive(ScimDispatch, Clone, Debug, PartialEq)]
pub enum AnyResource {
    /// A user.
    User(User<EnterpriseUser>),
    /// A group.
    Group(Group),
    /// A device.
    Device(FuzzDevice),
    /// Anything else.
    #[scim(other)]
    Other(Map<String, Value>),
}

// ----- fixed data ------------------------------------------------------------------------------

const USER_JSON: &str = include_str!("../scim-client/tests/fixtures/rfc7643/user-enterprise.json");
const GROUP_JSON: &str = include_str!("../scim-client/tests/fixtures/rfc7643/group.json");
const DEVICE_JSON: &str = r#"{
  "schemas": ["urn:example:params:scim:schemas:2.0:FuzzDevice",
              "urn:acme:params:scim:schemas:extension:2.0:Device"],
  "id": "d-42",
  "serialNumber": "C02XL0GZJGH5",
  "kind": "laptop",
  "owner": "../Users/2819c223",
  "lastSeen": "2011-08-01T21:32:44.882Z",
  "ports": 4,
  "load": 0.25,
  "online": true,
  "firmware": "aGVsbG8=",
  "tags": ["a", "b"],
  "location": {"building": "B1", "floor": 3, "since": "2020-01-01T00:00:00Z"},
  "interfaces": [{"value": "aa:01", "type": "wifi", "primary": true}, {"value": "aa:02"}],
  "urn:acme:params:scim:schemas:extension:2.0:Device": {
    "assetTag": "A-0042", "windows": ["sun"], "contract": {"value": "C-1"}
  },
  "firmwareVersion": "14.2"
}"#;

const CONTEXTS: [Context; 13] = [
    Context::Default,
    Context::CreateRequest,
    Context::CreateResponse,
    Context::QueryRequest,
    Context::QueryResponse,
    Context::ReplaceRequest,
    Context::ReplaceResponse,
    Context::SearchRequest,
    Context::SearchResponse,
    Context::PatchRequest,
    Context::PatchResponse,
    Context::BulkRequest,
    Context::BulkResponse,
];

const POLICIES: [UnknownPolicy; 3] = [
    UnknownPolicy::Keep,
    UnknownPolicy::Ignore,
    UnknownPolicy::Refuse,
];

fn parsed(json: &str) -> Value {
    serde_json::from_str(json).expect("fixed JSON")
}

/// The fixed user, group and device, as JSON.
fn fixed() -> &'static (Value, Value, Value) {
    static FIXED: OnceLock<(Value, Value, Value)> = OnceLock::new();
    FIXED.get_or_init(|| (parsed(USER_JSON), parsed(GROUP_JSON), parsed(DEVICE_JSON)))
}

/// A few projections (`attributes` / `excludedAttributes`) to write responses with.
fn projections() -> &'static [Projection] {
    static PROJECTIONS: OnceLock<Vec<Projection>> = OnceLock::new();
    PROJECTIONS.get_or_init(|| {
        vec![
            Projection::attributes(["userName", "name.familyName", "emails.value"]),
            Projection::excluded(["emails", "meta.created"]),
            Projection::attributes(["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]),
            Projection::attributes(["urn:acme:params:scim:schemas:extension:2.0:Device:assetTag"]),
            Projection::excluded(["interfaces.type", "secret", "lastSeen"]),
        ]
    })
}

/// The metadata the filters, paths and patches are resolved against.
fn all_schemas() -> &'static [Schemas<'static>] {
    static SCHEMAS: OnceLock<Vec<Schemas<'static>>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        vec![
            Schemas::of::<User>(),
            Schemas::of::<User<EnterpriseUser>>(),
            Schemas::of::<Group>(),
            Schemas::of::<FuzzDevice>(),
        ]
    })
}

// ----- response ----------------------------------------------------------------------------------

/// The bytes as a server response, for every built-in type, the derived [`FuzzDevice`] and the
/// protocol messages, in every context and unknown-attribute policy.
///
/// Asserted: nothing panics; whatever parsed can be written in every context (errors allowed);
/// a resource written in [`Context::Default`] parses back in that context and writes the same
/// JSON again (a fixpoint: the first write may drop empty values, the second drops nothing
/// more); a protocol message written and read back is equal to what was read.
pub fn response(data: &[u8]) {
    resource::<User>(data);
    resource::<User<EnterpriseUser>>(data);
    resource::<Group>(data);
    resource::<ServiceProviderConfig>(data);
    resource::<ResourceType>(data);
    resource::<Schema>(data);
    resource::<FuzzDevice>(data);

    list::<User>(data);
    list::<User<EnterpriseUser>>(data);
    list::<Group>(data);
    list::<FuzzDevice>(data);
    list::<AnyResource>(data);
    dynamic(data);

    // An extension on its own (it is not a resource: plain serde).
    if let Ok(e) = serde_json::from_slice::<EnterpriseUser>(data) {
        let _ = serde_json::to_vec(&e);
    }
    if let Ok(e) = serde_json::from_slice::<AcmeDevice>(data) {
        let _ = serde_json::to_vec(&e);
    }

    if let Some(e) = message::<ScimError>(data) {
        let _ = e.to_string();
        let _ = ScimError::is_error_body(&serde_json::to_value(&e).expect("error to JSON"));
    }
    if let Some(p) = message::<PatchOp>(data) {
        let _ = p.validate();
    }
    if let Some(b) = message::<BulkRequest>(data) {
        let _ = b.operations.len();
    }
    if let Some(b) = message::<BulkResponse>(data) {
        for (op, error) in b.errors() {
            let _ = (op.is_success(), error.to_string());
        }
        for op in &b.operations {
            let _ = op.error();
            if let Some(id) = &op.bulk_id {
                assert!(b.get(id).is_some(), "BulkResponse::get({id:?}) lost it");
            }
        }
    }
    if let Some(s) = message::<SearchRequest>(data) {
        let _ = s.to_query_pairs();
        if let Some(projection) = s.projection() {
            project(&projection);
        }
        if let Some(f) = &s.filter {
            filter_text(f);
        }
    }
}

/// Parses `data` as a dynamic resource: unbound (any object), then bound to the runtime
/// schemas of `User<EnterpriseUser>` and `FuzzDevice` in every context and policy; what binds is
/// written in every context, and (default context) binds again to the same resource.
fn dynamic(data: &[u8]) {
    static SCHEMAS: OnceLock<[std::sync::Arc<scim_client::ResourceSchema>; 2]> = OnceLock::new();
    let schemas = SCHEMAS.get_or_init(|| {
        [
            std::sync::Arc::new(scim_client::ResourceSchema::of::<User<EnterpriseUser>>()),
            std::sync::Arc::new(scim_client::ResourceSchema::of::<FuzzDevice>()),
        ]
    });
    let Ok(unbound) = serde_json::from_slice::<scim_client::DynamicResource>(data) else {
        return;
    };
    let _ = serde_json::to_vec(&unbound);
    let _ = format!("{unbound:?}");
    for schema in schemas {
        for context in CONTEXTS {
            for policy in [
                UnknownPolicy::Keep,
                UnknownPolicy::Ignore,
                UnknownPolicy::Refuse,
            ] {
                let mut r = unbound.clone();
                if r.bind(schema, context, policy).is_err() {
                    continue;
                }
                for out in CONTEXTS {
                    let _ = r.to_json_in(out);
                }
                if context == Context::Default && policy == UnknownPolicy::Keep {
                    let json = r.to_json_in(Context::Default).expect("default context");
                    let again = scim_client::DynamicResource::from_json(schema, json.clone())
                        .expect("what bound binds again");
                    assert_eq!(again.to_json_in(Context::Default).ok(), Some(json));
                }
            }
        }
    }
}

/// Parses `data` as `R` in every context and policy; writes what parsed in every context.
fn resource<R: Resource>(data: &[u8]) {
    // Decoding comes before (and does not depend on) the context and the policy: when it
    // fails once it fails for all of them.
    if let Err(Error::Decode { .. }) =
        codec::from_slice_with::<R>(data, Context::Default, UnknownPolicy::Keep)
    {
        return;
    }
    // Only validation depends on the context, and the policy only drops (`Ignore`) or refuses
    // (`Refuse`) unknown attributes: what parses is one of two values, written in every context.
    for context in CONTEXTS {
        for policy in POLICIES {
            let parsed = codec::from_slice_with::<R>(data, context, policy);
            if let Ok(r) = parsed
                && context.is_response()
            {
                response_round_trip(&r, context);
            }
        }
    }
    for policy in [UnknownPolicy::Keep, UnknownPolicy::Ignore] {
        if let Ok(r) = codec::from_slice_with::<R>(data, Context::Default, policy) {
            write_everywhere(&r);
            default_fixpoint(&r);
        }
    }
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        let _ = codec::from_value::<R>(value, Context::QueryResponse);
    }
}

fn write_everywhere<R: Resource>(r: &R) {
    for out in CONTEXTS {
        let _ = codec::to_vec(r, out);
        let _ = codec::to_value(r, out);
        let _ = codec::violations(r, out, UnknownPolicy::Refuse);
    }
    for projection in projections() {
        let _ = codec::to_value_projected(r, Context::QueryResponse, projection);
    }
    let _ = (r.schemas(), r.location_path(), r.id(), r.meta());
}

/// A resource accepted in a response context, written as a server answers in that context,
/// is accepted again in that context.
fn response_round_trip<R: Resource>(r: &R, context: Context) {
    let bytes = codec::to_vec(r, context)
        .unwrap_or_else(|e| panic!("{} cannot be written in {context}: {e}", R::RESOURCE_TYPE));
    if let Err(e) = codec::from_slice::<R>(&bytes, context) {
        panic!(
            "{} accepted in {context}, written in it, is refused: {e}\n{}",
            R::RESOURCE_TYPE,
            String::from_utf8_lossy(&bytes)
        );
    }
}

/// Written in the default context, a resource reads back and writes the same JSON again.
fn default_fixpoint<R: Resource>(r: &R) {
    let first = codec::to_value(r, Context::Default).expect("write in the default context");
    let bytes = serde_json::to_vec(&first).expect("JSON to bytes");
    let again: R = codec::from_slice(&bytes, Context::Default).unwrap_or_else(|e| {
        panic!(
            "{} written in the default context does not read back: {e}\n{first}",
            R::RESOURCE_TYPE
        )
    });
    let second = codec::to_value(&again, Context::Default).expect("write again");
    assert_eq!(
        first,
        second,
        "{}: writing, reading and writing again changed the JSON",
        R::RESOURCE_TYPE
    );
}

fn list<R: Payload>(data: &[u8]) {
    if let Err(Error::Decode { .. }) =
        ListResponse::<R>::from_slice_with(data, Context::Default, UnknownPolicy::Keep)
    {
        return;
    }
    for context in CONTEXTS {
        for policy in POLICIES {
            let _ = ListResponse::<R>::from_slice_with(data, context, policy);
        }
    }
    for policy in [UnknownPolicy::Keep, UnknownPolicy::Ignore] {
        if let Ok(page) = ListResponse::<R>::from_slice_with(data, Context::Default, policy) {
            for out in CONTEXTS {
                let _ = page.to_value(out);
            }
        }
    }
}

/// A protocol message: read, written, and read back equal.
fn message<M>(data: &[u8]) -> Option<M>
where
    M: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let m: M = serde_json::from_slice(data).ok()?;
    let bytes = serde_json::to_vec(&m).expect("a message that was read can be written");
    let back: M = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{} written does not read back: {e}\n{}",
            std::any::type_name::<M>(),
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(
        back,
        m,
        "{} changed in a round trip",
        std::any::type_name::<M>()
    );
    Some(m)
}

/// Writes the fixed resources with an arbitrary projection.
fn project(projection: &Projection) {
    let (user, group, device) = fixed();
    if let Ok(u) = codec::from_value::<User<EnterpriseUser>>(user.clone(), Context::Default) {
        for context in CONTEXTS {
            let _ = codec::to_value_projected(&u, context, projection);
        }
    }
    if let Ok(g) = codec::from_value::<Group>(group.clone(), Context::Default) {
        let _ = codec::to_value_projected(&g, Context::QueryResponse, projection);
    }
    if let Ok(d) = codec::from_value::<FuzzDevice>(device.clone(), Context::Default) {
        let _ = codec::to_value_projected(&d, Context::SearchResponse, projection);
    }
}

// ----- filter ------------------------------------------------------------------------------------

/// The bytes as a filter (UTF-8 only).
///
/// Asserted: a filter that parses prints as text that parses to an equal tree (and prints the
/// same again). Evaluating it against the fixed user, group and device and checking it against
/// their metadata must not panic.
pub fn filter(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        filter_text(text);
    }
}

fn filter_text(text: &str) {
    let Ok(f) = Filter::parse(text) else {
        return;
    };
    let printed = f.to_string();
    let again = Filter::parse(&printed).unwrap_or_else(|e| {
        panic!("printed filter does not parse: {e}\ninput: {text:?}\nprinted: {printed:?}")
    });
    assert_eq!(
        again, f,
        "printed filter parses to another tree\ninput: {text:?}\nprinted: {printed:?}"
    );
    assert_eq!(again.to_string(), printed, "printing is not stable");

    let (user, group, device) = fixed();
    for resource in [user, group, device] {
        let _ = f.matches(resource);
        let _ = f.matches_with(resource, |_| true);
    }
    for schemas in all_schemas() {
        let _ = f.check(schemas);
    }
    let _ = SearchRequest::new().filter(printed).to_query_pairs();
}

// ----- path --------------------------------------------------------------------------------------

/// The bytes as an attribute path and as a PATCH path (UTF-8 only).
///
/// Asserted: a path that parses prints as text that parses to an equal path; a path that
/// resolves has a canonical form that parses and resolves to the same attribute. Resolving
/// against the fixed metadata and evaluating `path pr` must not panic.
pub fn path(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = AttrPath::parse(text) {
        let printed = p.to_string();
        let again = AttrPath::parse(&printed).unwrap_or_else(|e| {
            panic!("printed path does not parse: {e}\ninput: {text:?}\nprinted: {printed:?}")
        });
        assert_eq!(again, p, "printed path parses to another path: {printed:?}");
        assert!(again.eq_ignore_case(&p));
        let _ = (p.schema(), p.name(), p.sub_attr());
        for schemas in all_schemas() {
            let _ = p.resolve(schemas);
            if let Ok(resolved) = p.resolve_parts(schemas) {
                let canonical = resolved.canonical();
                let c = AttrPath::parse(&canonical).unwrap_or_else(|e| {
                    panic!("canonical path {canonical:?} of {text:?} does not parse: {e}")
                });
                let r = c.resolve_parts(schemas).unwrap_or_else(|e| {
                    panic!("canonical path {canonical:?} of {text:?} does not resolve: {e}")
                });
                assert_eq!(
                    r, resolved,
                    "canonical path {canonical:?} of {text:?} resolves elsewhere"
                );
            }
        }
        let present = Filter::present(p);
        let (user, group, device) = fixed();
        for resource in [user, group, device] {
            let _ = present.matches(resource);
        }
    }
    if let Ok(p) = PatchPath::parse(text) {
        let printed = p.to_string();
        let again = PatchPath::parse(&printed).unwrap_or_else(|e| {
            panic!("printed PATCH path does not parse: {e}\ninput: {text:?}\nprinted: {printed:?}")
        });
        assert_eq!(
            again, p,
            "printed PATCH path parses to another path: {printed:?}"
        );
        let _ = (p.attr(), p.value_filter(), p.sub_attr());
        for schemas in all_schemas() {
            if let Ok(resolved) = p.resolve(schemas) {
                let _ = (
                    resolved.canonical(),
                    resolved.target(),
                    resolved.is_extension(),
                );
            }
        }
    }
}

// ----- patch -------------------------------------------------------------------------------------

/// The bytes as a `PatchOp` message.
///
/// Asserted: the message reads back equal after writing; `apply` is all or nothing (on error
/// the resource is unchanged); when `check` passes given the resource's current state,
/// `apply` succeeds on that state. Checking, applying to typed resources and diffing must not
/// panic.
pub fn patch(data: &[u8]) {
    let Some(op) = message::<PatchOp>(data) else {
        return;
    };
    let _ = op.validate();
    let (user, group, device) = fixed();
    let schemas = all_schemas();
    // User, User<EnterpriseUser> and the device on their fixed JSON, the group on its own.
    apply_checked(&op, user, &schemas[0]);
    apply_checked(&op, user, &schemas[1]);
    apply_checked(&op, group, &schemas[2]);
    apply_checked(&op, device, &schemas[3]);

    if let Ok(u) = codec::from_value::<User<EnterpriseUser>>(user.clone(), Context::Default)
        && let Ok(patched) = patch::apply_to(&u, &op)
    {
        let _ = patch::diff_resources(&u, &patched);
    }
    if let Ok(d) = codec::from_value::<FuzzDevice>(device.clone(), Context::Default) {
        let _ = patch::apply_to(&d, &op);
    }
}

fn apply_checked(op: &PatchOp, resource: &Value, schemas: &Schemas<'_>) {
    let _ = op.check(schemas, None);
    let checked = op.check(schemas, Some(resource));
    let mut target = resource.clone();
    match patch::apply(&mut target, op, schemas) {
        Ok(()) => {
            let _ = patch::diff(resource, &target, schemas);
        }
        Err(e) => {
            assert_eq!(
                &target, resource,
                "a failed patch ({e}) changed the resource"
            );
            if let Ok(()) = checked {
                panic!("`check` with the current state passed, but `apply` failed: {e}");
            }
            let _ = (e.to_scim_error(), e.kind(), e.index(), e.path());
        }
    }
}
