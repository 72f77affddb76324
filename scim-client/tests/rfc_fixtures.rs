//! Every JSON example of RFC 7643 and RFC 7644 (`tests/fixtures`, copied from the shared RFC
//! corpus with its `manifest.json`), parsed into the type the manifest names, written back, and
//! compared with the original; then every resource parsed by the codec in the context its HTTP
//! exchange implies, with the expected outcome listed per file.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use scim_client::Reference;
use scim_client::codec::{self, Context};
use scim_client::error::{Error, Rule};
use scim_client::model::{
    EnterpriseUser, Group, ResourceType, Schema, ServiceProviderConfig, User,
};
use scim_client::protocol::{
    BulkMethod, BulkOperationResponse, BulkRequest, BulkResponse, ListResponse, PatchOp,
    PatchOpKind, ScimError, ScimType, SearchRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(file: &str) -> String {
    let path = fixtures_dir().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One manifest entry (only the fields the tests use).
struct Entry {
    file: String,
    kind: String,
    http: Option<String>,
    request: Option<String>,
}

fn manifest() -> Vec<Entry> {
    let m: Value = serde_json::from_str(&read("manifest.json")).expect("manifest.json");
    m["files"]
        .as_array()
        .expect("`files` is a list")
        .iter()
        .map(|f| Entry {
            file: f["file"].as_str().expect("file").to_owned(),
            kind: f["kind"].as_str().expect("kind").to_owned(),
            http: f["http"].as_str().map(str::to_owned),
            request: f["request"].as_str().map(str::to_owned),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The normaliser: what a round trip may change, each rule with its reason.
// ---------------------------------------------------------------------------------------------

/// The differences the round-trip comparison forgives. Nothing else is forgiven: every other
/// key, value and array element must come back identical.
///
/// Not forgiven, because nothing needs it: key case (the RFC examples spell every key the
/// schema's way, except `nickname` inside PATCH values, which are kept verbatim and so come
/// back as `nickname`), number formats, timestamps (written back exactly as printed) and
/// base64 (re-encoded identically). Objects are compared as JSON objects, so the relative
/// order of keys never matters (RFC 8259 section 4: an object is unordered); array order is
/// significant and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Forgive {
    /// `schemas` written where the example has none. Resources always carry their `schemas`
    /// when written; the RFC leaves it out of partial representations (`attributes=` in RFC
    /// 7644 sections 3.4.2 and 3.4.3, the `{}` placeholder of 3.4.2.4) and out of the schema
    /// objects of RFC 7643 section 8.7 (erratum 8417 adds it).
    SchemasAdded,
    /// Empty values (`null`, `[]`, `{}`, and list entries that are empty) are not written:
    /// RFC 7643 section 2.5 makes an empty value the same state as an unassigned one. Seen in
    /// RFC 7644 section 3.5.1 (`"roles": []`), 8.7.1 (`"canonicalValues": []`), 3.4.2.4 (the
    /// elided resource `{}`).
    EmptyDropped,
    /// An HTTP status written as the JSON string RFC 7644 section 3.12 prescribes, where the
    /// example has an object `{"code": "201"}` (RFC 7644 section 3.7.2) or a number.
    StatusAsString,
}

/// Compares what was written (`ours`) with the fixture (`original`), recording the rules that
/// had to forgive something and every difference that no rule forgives.
struct Comparison {
    forgiven: BTreeSet<Forgive>,
    differences: Vec<String>,
}

impl Comparison {
    fn run(original: &Value, ours: &Value) -> Self {
        let mut c = Comparison {
            forgiven: BTreeSet::new(),
            differences: Vec::new(),
        };
        c.compare("$", original, ours);
        c
    }

    fn compare(&mut self, at: &str, original: &Value, ours: &Value) {
        match (original, ours) {
            (Value::Object(o), Value::Object(w)) => {
                for (k, ov) in o {
                    match w.get(k) {
                        Some(wv) => {
                            if k == "status" && ov != wv && status_forgiven(ov, wv) {
                                self.forgiven.insert(StatusAsString);
                            } else {
                                self.compare(&format!("{at}.{k}"), ov, wv);
                            }
                        }
                        None if is_empty(ov) => {
                            self.forgiven.insert(EmptyDropped);
                        }
                        None => self
                            .differences
                            .push(format!("{at}.{k}: missing from ours")),
                    }
                }
                for (k, wv) in w {
                    if o.contains_key(k) {
                        continue;
                    }
                    if k == "schemas" {
                        self.forgiven.insert(SchemasAdded);
                    } else {
                        self.differences
                            .push(format!("{at}.{k}: added by ours ({wv})"));
                    }
                }
            }
            (Value::Array(o), Value::Array(w)) => {
                let kept: Vec<&Value> = o.iter().filter(|v| !is_empty(v)).collect();
                if kept.len() != o.len() {
                    self.forgiven.insert(EmptyDropped);
                }
                if kept.len() == w.len() {
                    for (i, (ov, wv)) in kept.iter().zip(w).enumerate() {
                        self.compare(&format!("{at}[{i}]"), ov, wv);
                    }
                } else {
                    self.differences.push(format!(
                        "{at}: {} entries, ours has {}",
                        kept.len(),
                        w.len()
                    ));
                }
            }
            _ if original == ours => {}
            _ => self
                .differences
                .push(format!("{at}: {original} became {ours}")),
        }
    }
}

/// `{"code": "201"}` or `201` read back as `"201"`.
fn status_forgiven(original: &Value, ours: &Value) -> bool {
    let Some(ours) = ours.as_str() else {
        return false;
    };
    match original {
        Value::String(s) => s == ours,
        Value::Number(n) => n.to_string() == ours,
        Value::Object(o) => {
            o.len() == 1
                && o.get("code")
                    .is_some_and(|c| status_forgiven(c, &Value::String(ours.to_owned())))
        }
        _ => false,
    }
}

fn is_empty(v: &Value) -> bool {
    scim_client::value::json_is_empty(v)
}

// ---------------------------------------------------------------------------------------------
// Typed round trips.
// ---------------------------------------------------------------------------------------------

/// Parses `text` as `T` (plain serde, no SCIM context) and writes it back in the default
/// context.
fn typed<T: DeserializeOwned + Serialize>(text: &str) -> Result<Value, String> {
    let t: T = serde_json::from_str(text).map_err(|e| format!("parse: {e}"))?;
    serde_json::to_value(&t).map_err(|e| format!("write: {e}"))
}

/// Which resource type a `ListResponse` fixture holds, from its content: the resources' own
/// `schemas` when they carry one, else the endpoint of the request it answers, else the
/// attributes present (`userName` exists on users only).
fn list_item_type(entry: &Entry, body: &Value) -> &'static str {
    let resources = body["Resources"].as_array().cloned().unwrap_or_default();
    let urns: BTreeSet<&str> = resources
        .iter()
        .filter_map(|r| r["schemas"].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (urn, ty) in [
        ("urn:ietf:params:scim:schemas:core:2.0:User", "User"),
        ("urn:ietf:params:scim:schemas:core:2.0:Group", "Group"),
        (
            "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
            "ResourceType",
        ),
    ] {
        if urns.contains(urn) {
            return ty;
        }
    }
    let request = entry.request.as_deref().unwrap_or_default();
    for (endpoint, ty) in [
        ("/Users", "User"),
        ("/Groups", "Group"),
        ("/ResourceTypes", "ResourceType"),
    ] {
        if request.contains(endpoint) {
            return ty;
        }
    }
    // RFC 7644 section 3.4.3 searches from the root: its resources have no `schemas`; one has a
    // `userName`, the other (`"Smith Family"`, probably a group) only `displayName`. Every
    // User attribute is optional in a response, so both parse as users.
    if resources.iter().any(|r| r.get("userName").is_some()) {
        return "User";
    }
    panic!("{}: cannot tell what the list holds", entry.file)
}

/// The Rust type a fixture parses into, from its manifest kind (and, for lists, its content).
fn rust_type(entry: &Entry, body: &Value) -> String {
    let t = match entry.kind.as_str() {
        "resource:User" | "request:User" => "User",
        "resource:User+EnterpriseUser" => "User<EnterpriseUser>",
        "resource:Group" => "Group",
        "ServiceProviderConfig" => "ServiceProviderConfig",
        "ResourceType" => "ResourceType",
        "array:ResourceType" => "Vec<ResourceType>",
        "Schema" => "Schema",
        "array:Schema" => "Vec<Schema>",
        "SearchRequest" => "SearchRequest",
        "PatchOp" => "PatchOp",
        "BulkRequest" => "BulkRequest",
        "BulkResponse" => "BulkResponse",
        "fragment:BulkOperationResponse" => "BulkOperationResponse",
        "Error" => "ScimError",
        "ListResponse" => return format!("ListResponse<{}>", list_item_type(entry, body)),
        other => panic!("{}: unknown manifest kind `{other}`", entry.file),
    };
    t.to_owned()
}

/// Parses a fixture into `ty` and writes it back.
fn round_trip(ty: &str, text: &str) -> Result<Value, String> {
    match ty {
        "User" => typed::<User>(text),
        "User<EnterpriseUser>" => typed::<User<EnterpriseUser>>(text),
        "Group" => typed::<Group>(text),
        "ServiceProviderConfig" => typed::<ServiceProviderConfig>(text),
        "ResourceType" => typed::<ResourceType>(text),
        "Vec<ResourceType>" => typed::<Vec<ResourceType>>(text),
        "Schema" => typed::<Schema>(text),
        "Vec<Schema>" => typed::<Vec<Schema>>(text),
        "SearchRequest" => typed::<SearchRequest>(text),
        "PatchOp" => typed::<PatchOp>(text),
        "BulkRequest" => typed::<BulkRequest>(text),
        "BulkResponse" => typed::<BulkResponse>(text),
        "BulkOperationResponse" => typed::<BulkOperationResponse>(text),
        "ScimError" => typed::<ScimError>(text),
        "ListResponse<User>" => typed::<ListResponse<User>>(text),
        "ListResponse<Group>" => typed::<ListResponse<Group>>(text),
        "ListResponse<ResourceType>" => typed::<ListResponse<ResourceType>>(text),
        other => unreachable!("{other}"),
    }
}

use Forgive::{EmptyDropped, SchemasAdded, StatusAsString};

/// Every fixture: the type it parses into, and what its round trip forgives. A fixture that
/// cannot round-trip would be listed in [`CANNOT_ROUND_TRIP`] instead.
const ROUND_TRIPS: &[(&str, &str, &[Forgive])] = &[
    ("rfc7643/user-enterprise-excerpt-sec3.json", "User", &[]),
    ("rfc7643/user-minimal.json", "User", &[]),
    ("rfc7643/user-full.json", "User", &[]),
    ("rfc7643/user-enterprise.json", "User<EnterpriseUser>", &[]),
    ("rfc7643/group.json", "Group", &[]),
    (
        "rfc7643/service-provider-config.json",
        "ServiceProviderConfig",
        &[],
    ),
    ("rfc7643/resource-types.json", "Vec<ResourceType>", &[]),
    ("rfc7643/resource-type-user.json", "ResourceType", &[]),
    ("rfc7643/resource-type-group.json", "ResourceType", &[]),
    // Schema objects without `schemas` (erratum 8417); 8.7.1 `"canonicalValues": []` of
    // `entitlements.type` and `roles.type`.
    (
        "rfc7643/resource-schemas.json",
        "Vec<Schema>",
        &[SchemasAdded, EmptyDropped],
    ),
    (
        "rfc7643/schema-user.json",
        "Schema",
        &[SchemasAdded, EmptyDropped],
    ),
    ("rfc7643/schema-group.json", "Schema", &[SchemasAdded]),
    (
        "rfc7643/schema-enterprise-user.json",
        "Schema",
        &[SchemasAdded],
    ),
    (
        "rfc7643/service-provider-schemas.json",
        "Vec<Schema>",
        &[SchemasAdded],
    ),
    (
        "rfc7643/schema-service-provider-config.json",
        "Schema",
        &[SchemasAdded],
    ),
    (
        "rfc7643/schema-resource-type.json",
        "Schema",
        &[SchemasAdded],
    ),
    ("rfc7643/schema-schema.json", "Schema", &[SchemasAdded]),
    ("rfc7644/3.3-create-user-request.json", "User", &[]),
    ("rfc7644/3.3-create-user-response.json", "User", &[]),
    ("rfc7644/3.4.1-get-user-response.json", "User", &[]),
    // Partial resources (`attributes=userName`) without `schemas`.
    (
        "rfc7644/3.4.2-query-users-attributes-response.json",
        "ListResponse<User>",
        &[SchemasAdded],
    ),
    // The elided resource is printed as `{}` (after the corpus removed the `...`).
    (
        "rfc7644/3.4.2.4-pagination-list-response.json",
        "ListResponse<User>",
        &[EmptyDropped],
    ),
    ("rfc7644/3.4.3-search-request.json", "SearchRequest", &[]),
    (
        "rfc7644/3.4.3-search-response.json",
        "ListResponse<User>",
        &[SchemasAdded],
    ),
    // `"roles": []`.
    (
        "rfc7644/3.5.1-replace-user-request.json",
        "User",
        &[EmptyDropped],
    ),
    ("rfc7644/3.5.1-replace-user-response.json", "User", &[]),
    ("rfc7644/3.5.2-patch-request-general.json", "PatchOp", &[]),
    (
        "rfc7644/3.5.2.1-patch-add-member-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.1-patch-add-emails-nickname-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.2-patch-remove-member-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.2-patch-remove-all-members-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.2-patch-remove-filtered-emails-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.2-patch-remove-and-add-member-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.2-patch-remove-all-and-add-members-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.3-patch-replace-members-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.3-patch-replace-work-address-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.3-patch-replace-street-address-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.5.2.3-patch-replace-emails-nickname-request.json",
        "PatchOp",
        &[],
    ),
    (
        "rfc7644/3.6-get-deleted-user-error-response.json",
        "ScimError",
        &[],
    ),
    (
        "rfc7644/3.7.1-bulk-circular-request.json",
        "BulkRequest",
        &[],
    ),
    (
        "rfc7644/3.7.1-query-groups-circular-response.json",
        "ListResponse<Group>",
        &[],
    ),
    ("rfc7644/3.7.2-bulk-bulkid-request.json", "BulkRequest", &[]),
    // `"status": {"code": "201"}`.
    (
        "rfc7644/3.7.2-bulk-bulkid-response.json",
        "BulkResponse",
        &[StatusAsString],
    ),
    ("rfc7644/3.7.2-get-group-response.json", "Group", &[]),
    (
        "rfc7644/3.7.2-bulk-bulkid-manager-request.json",
        "BulkRequest",
        &[],
    ),
    (
        "rfc7644/3.7.3-bulk-operation-status-fragment.json",
        "BulkOperationResponse",
        &[],
    ),
    (
        "rfc7644/3.7.3-bulk-operation-error-fragment.json",
        "BulkOperationResponse",
        &[],
    ),
    ("rfc7644/3.7.3-bulk-request.json", "BulkRequest", &[]),
    ("rfc7644/3.7.3-bulk-response.json", "BulkResponse", &[]),
    (
        "rfc7644/3.7.3-bulk-fail-on-errors-response.json",
        "BulkResponse",
        &[],
    ),
    (
        "rfc7644/3.7.3-bulk-errors-response.json",
        "BulkResponse",
        &[],
    ),
    (
        "rfc7644/3.7.4-bulk-payload-too-large-error-response.json",
        "ScimError",
        &[],
    ),
    ("rfc7644/3.9-get-user-attributes-response.json", "User", &[]),
    (
        "rfc7644/3.12-not-found-error-response.json",
        "ScimError",
        &[],
    ),
    (
        "rfc7644/3.12-mutability-error-response.json",
        "ScimError",
        &[],
    ),
    ("rfc7644/3.14-create-user-request.json", "User", &[]),
    ("rfc7644/3.14-create-user-response.json", "User", &[]),
    (
        "rfc7644/4-resource-types-list-response.json",
        "ListResponse<ResourceType>",
        &[],
    ),
    (
        "rfc7644/7.5.2-sensitive-error-response.json",
        "ScimError",
        &[],
    ),
];

/// Fixtures that cannot round-trip, with the RFC error that prevents it. Empty: the corpus
/// already fixed the JSON syntax errors (listed in its manifest), and what remains wrong in
/// the examples (the wrong `schemas` URN of the 3.7.3 bulk POST, truncated ids, `"USA"`, the
/// 403 page with `"status": "404"`) is valid JSON that is kept and written back as printed.
/// Those errors show up in [`CODEC`] instead.
const CANNOT_ROUND_TRIP: &[(&str, &str)] = &[];

#[test]
fn manifest_lists_every_fixture() {
    let listed: BTreeSet<String> = manifest().into_iter().map(|e| e.file).collect();
    let mut on_disk = BTreeSet::new();
    for dir in ["rfc7643", "rfc7644"] {
        for f in std::fs::read_dir(fixtures_dir().join(dir)).expect("fixtures dir") {
            let name = f
                .expect("dir entry")
                .file_name()
                .into_string()
                .expect("utf-8");
            if Path::new(&name).extension().is_some_and(|e| e == "json") {
                on_disk.insert(format!("{dir}/{name}"));
            }
        }
    }
    assert_eq!(
        listed, on_disk,
        "manifest.json and the fixture files disagree"
    );
    assert_eq!(listed.len(), 59, "17 + 42 JSON examples");
    let tabled: BTreeSet<String> = ROUND_TRIPS
        .iter()
        .map(|(f, _, _)| (*f).to_owned())
        .chain(CANNOT_ROUND_TRIP.iter().map(|(f, _)| (*f).to_owned()))
        .collect();
    assert_eq!(listed, tabled, "every fixture has a round-trip expectation");
}

#[test]
fn every_fixture_round_trips() {
    let mut failures = Vec::new();
    for entry in manifest() {
        let text = read(&entry.file);
        let original: Value = serde_json::from_str(&text).expect("fixtures are valid JSON");
        let ty = rust_type(&entry, &original);
        let outcome = round_trip(&ty, &text).map(|ours| Comparison::run(&original, &ours));
        if let Some((_, why)) = CANNOT_ROUND_TRIP.iter().find(|(f, _)| *f == entry.file) {
            if outcome.is_ok_and(|c| c.differences.is_empty()) {
                failures.push(format!(
                    "{}: listed as unable to round-trip ({why}) but it does",
                    entry.file
                ));
            }
            continue;
        }
        let Some((_, expected_ty, rules)) = ROUND_TRIPS.iter().find(|(f, _, _)| *f == entry.file)
        else {
            failures.push(format!("{}: no expectation", entry.file));
            continue;
        };
        match outcome {
            Err(e) => failures.push(format!("{} as {ty}: {e}", entry.file)),
            Ok(c) if !c.differences.is_empty() => failures.push(format!(
                "{} as {ty}: {}",
                entry.file,
                c.differences.join("; ")
            )),
            Ok(c) => {
                let forgiven: Vec<Forgive> = c.forgiven.into_iter().collect();
                if *expected_ty != ty || *rules != forgiven.as_slice() {
                    failures.push(format!(
                        "{}: expected {expected_ty} forgiving {rules:?}, got {ty} forgiving {forgiven:?}",
                        entry.file
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_normaliser_forgives_nothing_else() {
    let c = Comparison::run(
        &serde_json::json!({"a": 1, "b": [1, 2], "c": {"d": "x"}, "status": {"code": "201"}}),
        &serde_json::json!({"a": 2, "b": [2, 1], "c": {"D": "x"}, "status": "201", "e": true}),
    );
    assert_eq!(
        c.differences,
        [
            "$.a: 1 became 2",
            "$.b[0]: 1 became 2",
            "$.b[1]: 2 became 1",
            "$.c.d: missing from ours",
            "$.c.D: added by ours (\"x\")",
            "$.e: added by ours (true)",
        ]
    );
    assert_eq!(c.forgiven.into_iter().collect::<Vec<_>>(), [StatusAsString]);
}

// ---------------------------------------------------------------------------------------------
// The codec, in the context each example's HTTP exchange implies.
// ---------------------------------------------------------------------------------------------

/// What the codec says about a fixture.
#[derive(Debug)]
enum Expect {
    /// Parses and passes the context's rules.
    Valid,
    /// Parses, then validation refuses it with exactly these violations.
    Invalid(&'static [(Rule, &'static str)]),
    /// Refused while decoding, with this in the error message.
    Undecodable(&'static str),
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// The context the manifest's HTTP start line (or the request a response answers) implies.
/// RFC 7643 section 8 representations have none; they are what a server returns to a `GET`.
fn context_of(entry: &Entry) -> Context {
    let http = entry.http.as_deref().unwrap_or_default();
    let request = entry.request.as_deref().unwrap_or_default();
    if !http.starts_with("HTTP/") && !http.is_empty() {
        // A request line.
        return match http.split_whitespace().next() {
            Some("POST") if entry.kind == "BulkRequest" => Context::BulkRequest,
            Some("POST") if http.contains(".search") => Context::SearchRequest,
            Some("POST") => Context::CreateRequest,
            Some("PUT") => Context::ReplaceRequest,
            Some("PATCH") => Context::PatchRequest,
            _ => Context::QueryRequest,
        };
    }
    match request.split_whitespace().next() {
        Some("POST") if request.contains(".search") => Context::SearchResponse,
        Some("POST") if request.contains("/Bulk") => Context::BulkResponse,
        Some("POST") => Context::CreateResponse,
        Some("PUT") => Context::ReplaceResponse,
        Some("PATCH") => Context::PatchResponse,
        _ => Context::QueryResponse,
    }
}

/// Every resource in the fixtures (whole files, and the `data` of bulk operations as
/// `file#Operations[i]`), the context it is read in, and the expected outcome.
const CODEC: &[(&str, Context, Expect)] = &[
    // RFC 7643 section 3 excerpt: the enterprise extension is kept as unknown in a `User`.
    (
        "rfc7643/user-enterprise-excerpt-sec3.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/user-minimal.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    // Sections 8.2 and 8.3 show `password`, which a server never returns (returned: never).
    (
        "rfc7643/user-full.json",
        Context::QueryResponse,
        Expect::Invalid(&[(Rule::ReturnedNever, "password")]),
    ),
    (
        "rfc7643/user-enterprise.json",
        Context::QueryResponse,
        Expect::Invalid(&[(Rule::ReturnedNever, "password")]),
    ),
    ("rfc7643/group.json", Context::QueryResponse, Expect::Valid),
    (
        "rfc7643/service-provider-config.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/resource-types.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/resource-type-user.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/resource-type-group.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/resource-schemas.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/schema-user.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/schema-group.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/schema-enterprise-user.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/service-provider-schemas.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/schema-service-provider-config.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/schema-resource-type.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7643/schema-schema.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7644/3.3-create-user-request.json",
        Context::CreateRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.3-create-user-response.json",
        Context::CreateResponse,
        Expect::Valid,
    ),
    (
        "rfc7644/3.4.1-get-user-response.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7644/3.4.2-query-users-attributes-response.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    // The elided resource `{}` has no `id` (returned: always).
    (
        "rfc7644/3.4.2.4-pagination-list-response.json",
        Context::QueryResponse,
        Expect::Invalid(&[(Rule::ReturnedAlways, "Resources[0].id")]),
    ),
    (
        "rfc7644/3.4.3-search-response.json",
        Context::SearchResponse,
        Expect::Valid,
    ),
    // The PUT body carries the read-only `id`: accepted (a server ignores it), not an error.
    (
        "rfc7644/3.5.1-replace-user-request.json",
        Context::ReplaceRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.5.1-replace-user-response.json",
        Context::ReplaceResponse,
        Expect::Valid,
    ),
    // `bulkId:` references in `members[].value` are plain strings to the codec.
    (
        "rfc7644/3.7.1-bulk-circular-request.json#Operations[0]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.7.1-bulk-circular-request.json#Operations[1]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.7.1-query-groups-circular-response.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7644/3.7.2-bulk-bulkid-request.json#Operations[0]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.7.2-bulk-bulkid-request.json#Operations[1]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.7.2-get-group-response.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7644/3.7.2-bulk-bulkid-manager-request.json#Operations[0]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.7.2-bulk-bulkid-manager-request.json#Operations[1]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    // RFC error kept as printed: the POST data names `urn:ietf:params:scim:api:messages:2.0:User`
    // instead of the User schema.
    (
        "rfc7644/3.7.3-bulk-request.json#Operations[0]",
        Context::BulkRequest,
        Expect::Undecodable("`schemas` does not contain the core schema"),
    ),
    (
        "rfc7644/3.7.3-bulk-request.json#Operations[1]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    // The PATCH data is a PatchOp (the corpus's fix of the printed `{[...]}`).
    (
        "rfc7644/3.7.3-bulk-request.json#Operations[2]",
        Context::BulkRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.9-get-user-attributes-response.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
    (
        "rfc7644/3.14-create-user-request.json",
        Context::CreateRequest,
        Expect::Valid,
    ),
    (
        "rfc7644/3.14-create-user-response.json",
        Context::CreateResponse,
        Expect::Valid,
    ),
    (
        "rfc7644/4-resource-types-list-response.json",
        Context::QueryResponse,
        Expect::Valid,
    ),
];

/// Parses a resource of the named type in `context`, as a client receives it.
fn parse_resource(ty: &str, bytes: &[u8], context: Context) -> Result<(), Error> {
    match ty {
        "User" => codec::from_slice::<User>(bytes, context).map(drop),
        "User<EnterpriseUser>" => {
            codec::from_slice::<User<EnterpriseUser>>(bytes, context).map(drop)
        }
        "Group" => codec::from_slice::<Group>(bytes, context).map(drop),
        "ServiceProviderConfig" => {
            codec::from_slice::<ServiceProviderConfig>(bytes, context).map(drop)
        }
        "ResourceType" => codec::from_slice::<ResourceType>(bytes, context).map(drop),
        "Schema" => codec::from_slice::<Schema>(bytes, context).map(drop),
        "Vec<ResourceType>" | "Vec<Schema>" => {
            let items: Vec<Value> = serde_json::from_slice(bytes).expect("an array");
            for item in items {
                let b = serde_json::to_vec(&item).expect("JSON");
                parse_resource(
                    ty.trim_start_matches("Vec<").trim_end_matches('>'),
                    &b,
                    context,
                )?;
            }
            Ok(())
        }
        "ListResponse<User>" => ListResponse::<User>::from_slice(bytes, context).map(drop),
        "ListResponse<Group>" => ListResponse::<Group>::from_slice(bytes, context).map(drop),
        "ListResponse<ResourceType>" => {
            ListResponse::<ResourceType>::from_slice(bytes, context).map(drop)
        }
        other => unreachable!("{other}"),
    }
}

/// The resources in one fixture: `(name, type, bytes, context)`.
fn resources_of(entry: &Entry) -> Vec<(String, String, Vec<u8>, Context)> {
    let text = read(&entry.file);
    let body: Value = serde_json::from_str(&text).expect("JSON");
    let context = context_of(entry);
    match entry.kind.as_str() {
        "BulkRequest" => {
            let bulk: BulkRequest = serde_json::from_str(&text).expect("a BulkRequest");
            assert_eq!(context, Context::BulkRequest, "{}", entry.file);
            bulk.operations
                .iter()
                .enumerate()
                .filter_map(|(i, op)| {
                    let data = op.data.as_ref()?;
                    let ty = match op.method {
                        BulkMethod::Patch => "PatchOp",
                        _ if op.path.starts_with("/Groups") => "Group",
                        _ if op.path.starts_with("/Users") => "User<EnterpriseUser>",
                        _ => panic!("{}: unexpected bulk path {}", entry.file, op.path),
                    };
                    Some((
                        format!("{}#Operations[{i}]", entry.file),
                        ty.to_owned(),
                        serde_json::to_vec(data).expect("JSON"),
                        context,
                    ))
                })
                .collect()
        }
        k if k.starts_with("resource:")
            || k.starts_with("request:")
            || k.starts_with("array:")
            || matches!(
                k,
                "ListResponse" | "ServiceProviderConfig" | "ResourceType" | "Schema"
            ) =>
        {
            vec![(
                entry.file.clone(),
                rust_type(entry, &body),
                text.into_bytes(),
                context,
            )]
        }
        _ => Vec::new(),
    }
}

#[test]
fn every_resource_fixture_in_its_context() {
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in manifest() {
        for (name, ty, bytes, context) in resources_of(&entry) {
            seen.insert(name.clone());
            let Some((_, expected_context, expect)) = CODEC.iter().find(|(f, _, _)| *f == name)
            else {
                failures.push(format!(
                    "{name}: no expectation (read as {ty} in {context:?})"
                ));
                continue;
            };
            if *expected_context != context {
                failures.push(format!(
                    "{name}: read in {context:?}, table says {expected_context:?}"
                ));
                continue;
            }
            let result = if ty == "PatchOp" {
                let patch: PatchOp = serde_json::from_slice(&bytes).expect("a PatchOp");
                patch.validate().map_err(|e| panic!("{name}: {e}"))
            } else {
                parse_resource(&ty, &bytes, context)
            };
            let ok = match (expect, &result) {
                (Expect::Valid, Ok(())) => true,
                (Expect::Invalid(want), Err(e)) => e.violations().is_some_and(|v| {
                    let got: Vec<(Rule, &str)> =
                        v.iter().map(|v| (v.rule, v.attribute.as_str())).collect();
                    got == *want
                }),
                (Expect::Undecodable(msg), Err(Error::Decode { source, .. })) => {
                    source.to_string().contains(msg)
                }
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{name} as {ty} in {context:?}: expected {expect}, got {result:?}"
                ));
            }
        }
    }
    let tabled: BTreeSet<String> = CODEC.iter().map(|(f, _, _)| (*f).to_owned()).collect();
    assert_eq!(seen, tabled, "the CODEC table and the fixtures disagree");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn invalid_response_fixtures_name_the_attribute_in_the_message() {
    let err = codec::from_slice::<User>(
        read("rfc7643/user-full.json").as_bytes(),
        Context::QueryResponse,
    )
    .unwrap_err();
    assert!(matches!(err, Error::ResponseValidation(_)), "{err:?}");
    assert!(err.to_string().contains("`password`"), "{err}");
    // The same representation is a fine create request (`password` is writeOnly, not
    // readOnly) once the server-set attributes are dropped by the codec.
    let user: User = serde_json::from_str(&read("rfc7643/user-full.json")).expect("User");
    let body = codec::to_value(&user, Context::CreateRequest).expect("valid create request");
    assert_eq!(body["password"], "t1meMa$heen");
    assert!(body.get("id").is_none() && body.get("meta").is_none() && body.get("groups").is_none());
}

// ---------------------------------------------------------------------------------------------
// What the typed values hold.
// ---------------------------------------------------------------------------------------------

fn parse<T: DeserializeOwned>(file: &str) -> T {
    serde_json::from_str(&read(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn typed_values_of_the_resource_examples() {
    let u: User<EnterpriseUser> = parse("rfc7643/user-enterprise.json");
    let e = u
        .extension::<EnterpriseUser>()
        .expect("enterprise extension");
    assert_eq!(e.employee_number.as_deref(), Some("701984"));
    let manager = e.manager.as_ref().expect("manager");
    assert_eq!(
        manager.value.as_deref(),
        Some("26118915-6090-4610-87e4-49d8ca9f808d")
    );
    // Relative `$ref` kept as printed.
    assert_eq!(
        manager.ref_.as_ref().map(Reference::as_str),
        Some("../Users/26118915-6090-4610-87e4-49d8ca9f808d")
    );
    assert_eq!(u.groups.len(), 3);
    assert_eq!(u.addresses[0].primary, Some(true));
    assert!(
        u.x509_certificates[0]
            .value
            .as_ref()
            .is_some_and(|b| b.0.len() > 800)
    );
    // `W\/\"...\"` decodes to `W/"..."`.
    assert_eq!(
        u.meta.as_ref().and_then(|m| m.version.as_deref()),
        Some("W/\"3694e05e9dff591\"")
    );

    // In a plain `User`, the same extension is kept as an unknown member and listed in
    // `schemas` when written back.
    let excerpt: User = parse("rfc7643/user-enterprise-excerpt-sec3.json");
    let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert!(excerpt.unknown.contains_key(urn));
    assert_eq!(
        serde_json::to_value(&excerpt).expect("JSON")["schemas"][1],
        urn
    );

    let spc: ServiceProviderConfig = parse("rfc7643/service-provider-config.json");
    assert_eq!(
        spc.authentication_schemes[0].type_.as_deref(),
        Some("oauthbearertoken")
    );
    assert_eq!(spc.authentication_schemes[0].primary, Some(true));
    assert_eq!(spc.etag.as_ref().and_then(|e| e.supported), Some(true));
    assert_eq!(spc.bulk.as_ref().and_then(|b| b.max_operations), Some(1000));

    let rt: ResourceType = parse("rfc7643/resource-type-user.json");
    assert_eq!(rt.schema_extensions.len(), 1);
    assert_eq!(rt.schema_extensions[0].required, Some(true));

    let schema: Schema = parse("rfc7643/schema-schema.json");
    assert_eq!(schema.attributes.len(), 4);
    // `subAttributes` nested twice is beyond the model and kept as unknown.
    let nested = &schema.attributes[3].sub_attributes[11];
    assert_eq!(nested.name.as_deref(), Some("subAttributes"));
    assert!(nested.unknown.contains_key("subAttributes"));
}

#[test]
fn typed_values_of_the_message_examples() {
    let search: SearchRequest = parse("rfc7644/3.4.3-search-request.json");
    assert_eq!(search.attributes, ["displayName", "userName"]);
    assert_eq!(search.filter.as_deref(), Some("displayName sw \"smith\""));
    assert_eq!((search.start_index, search.count), (Some(1), Some(10)));
    assert_eq!(
        search.to_query_pairs(),
        [
            ("attributes", "displayName,userName".to_owned()),
            ("filter", "displayName sw \"smith\"".to_owned()),
            ("startIndex", "1".to_owned()),
            ("count", "10".to_owned()),
        ]
    );

    let remove_all: PatchOp = parse("rfc7644/3.5.2.2-patch-remove-all-members-request.json");
    assert_eq!(remove_all.operations[0].op, PatchOpKind::Remove);
    assert_eq!(remove_all.operations[0].path.as_deref(), Some("members"));
    assert_eq!(remove_all.operations[0].value, None);
    // The value is kept verbatim, the lower-case `nickname` included.
    let nick: PatchOp = parse("rfc7644/3.5.2.3-patch-replace-emails-nickname-request.json");
    assert_eq!(nick.operations[0].path, None);
    assert_eq!(
        nick.operations[0].value.as_ref().expect("value")["nickname"],
        "Babs"
    );
    for entry in manifest().iter().filter(|e| e.kind == "PatchOp") {
        let p: PatchOp = parse(&entry.file);
        assert_eq!(p.validate(), Ok(()), "{}", entry.file);
    }

    let bulk: BulkRequest = parse("rfc7644/3.7.3-bulk-request.json");
    assert_eq!(bulk.fail_on_errors, Some(1));
    let methods: Vec<BulkMethod> = bulk.operations.iter().map(|o| o.method).collect();
    assert_eq!(
        methods,
        [
            BulkMethod::Post,
            BulkMethod::Put,
            BulkMethod::Patch,
            BulkMethod::Delete
        ]
    );
    assert_eq!(
        bulk.operations[3].version.as_deref(),
        Some("W/\"0ee8add0a938e1a\"")
    );
    assert_eq!(bulk.operations[3].data, None);

    let created: BulkResponse = parse("rfc7644/3.7.2-bulk-bulkid-response.json");
    assert!(
        created
            .operations
            .iter()
            .all(|o| o.status == 201 && o.is_success())
    );
    assert_eq!(
        created.get("ytrewq").and_then(|o| o.location.as_deref()),
        Some("https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a")
    );
    let failed: BulkResponse = parse("rfc7644/3.7.3-bulk-errors-response.json");
    let errors: Vec<(u16, Option<ScimType>)> = failed
        .errors()
        .map(|(o, e)| {
            assert_eq!(o.status, e.status);
            (e.status, e.scim_type)
        })
        .collect();
    assert_eq!(
        errors,
        [
            (400, Some(ScimType::InvalidSyntax)),
            (412, None),
            (412, None),
            (404, None)
        ]
    );
    let fragment: BulkOperationResponse = parse("rfc7644/3.7.3-bulk-operation-error-fragment.json");
    assert_eq!(
        fragment.error().and_then(|e| e.scim_type),
        Some(ScimType::InvalidSyntax)
    );
    let ok: BulkOperationResponse = parse("rfc7644/3.7.3-bulk-operation-status-fragment.json");
    assert_eq!((ok.status, ok.error()), (201, None));

    // RFC 7644 section 7.5.2 prints `403 Forbidden` with `"status": "404"`: the body is read
    // as printed.
    let sensitive: ScimError = parse("rfc7644/7.5.2-sensitive-error-response.json");
    assert_eq!(
        (sensitive.status, sensitive.scim_type),
        (404, Some(ScimType::Sensitive))
    );
    let mutability: ScimError = parse("rfc7644/3.12-mutability-error-response.json");
    assert_eq!(mutability.scim_type, Some(ScimType::Mutability));
    assert_eq!(
        mutability.to_string(),
        "scim error 400 (mutability): Attribute 'id' is readOnly"
    );
    let not_found: ScimError = parse("rfc7644/3.12-not-found-error-response.json");
    assert_eq!((not_found.status, not_found.scim_type), (404, None));

    let page: ListResponse<User> = parse("rfc7644/3.4.2.4-pagination-list-response.json");
    assert_eq!(
        (page.total_results, page.items_per_page, page.start_index),
        (Some(100), Some(10), Some(1))
    );
}
