//! Schema drift (`scim_client::drift`): the built-in models against the schemas RFC 7643
//! section 8.7.1 prints (only the errata the models apply show), a deliberately different
//! local type against a server schema (every kind of difference, one readable line each), and
//! `Client::check_drift` at start-up against a local fake server.

use std::path::Path;

use scim_client::drift::{self, Difference, DifferenceKind};
use scim_client::model::{EnterpriseUser, Group, User};
use scim_client::schema::{AttributeType, Mutability, Returned, SchemaDef, Uniqueness};
use scim_client::{
    Client, Extension, Reference, Resource, ScimComplex, ScimExtension, ScimResource,
};
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn rfc(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rfc7643")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn schema(file: &str) -> SchemaDef {
    SchemaDef::from_json(&rfc(file)).expect("the RFC schema imports")
}

fn lines(differences: &[Difference]) -> Vec<String> {
    differences.iter().map(ToString::to_string).collect()
}

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// ---------------------------------------------------------------------------------------------
// The built-in models against RFC 7643 section 8.7.1.
// ---------------------------------------------------------------------------------------------

/// `User` models `addresses.primary` (RFC 7643 sections 2.4 and 8.2), which section 8.7.1
/// forgot. (Its other erratum, `groups.$ref` referencing groups only, is a `referenceTypes`
/// change, which drift does not compare.)
#[test]
fn user_differs_from_the_rfc_by_its_errata_only() {
    let differences = drift::compare(<User>::SCHEMA, &schema("schema-user.json"));
    assert_eq!(
        differences,
        [Difference {
            schema: USER.to_owned(),
            path: "addresses.primary".to_owned(),
            kind: DifferenceKind::MissingOnServer,
        }]
        .to_vec(),
        "{}",
        drift::render(&differences)
    );
}

/// `Group.displayName` is required (erratum 5368) and `members.display` exists (erratum 6011).
#[test]
fn group_differs_from_the_rfc_by_its_errata_only() {
    let differences = drift::compare(Group::SCHEMA, &schema("schema-group.json"));
    assert_eq!(
        lines(&differences),
        [
            format!("{GROUP}: displayName: requiredness differs: local required, server optional"),
            format!("{GROUP}: members.display: missing on the server"),
        ]
    );
}

/// `manager.value` holds an id, and ids are case-exact (erratum 8472).
#[test]
fn enterprise_user_differs_from_the_rfc_by_its_errata_only() {
    let differences = drift::compare(
        EnterpriseUser::SCHEMA,
        &schema("schema-enterprise-user.json"),
    );
    assert_eq!(
        differences,
        [Difference {
            schema: ENTERPRISE.to_owned(),
            path: "manager.value".to_owned(),
            kind: DifferenceKind::CaseExact {
                local: true,
                remote: false
            },
        }]
    );
}

#[test]
fn a_schema_against_itself_has_no_drift() {
    let user = schema("schema-user.json");
    assert!(drift::compare(&user, &user).is_empty());
    assert!(drift::compare(<User>::SCHEMA, <User>::SCHEMA).is_empty());
}

// ---------------------------------------------------------------------------------------------
// A deliberately different local type: every kind of difference.
// ---------------------------------------------------------------------------------------------

const DEVICE: &str = "urn:example:params:scim:schemas:2.0:Device";

/// The client's idea of a device, which disagrees with the server on purpose.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
struct Device {
    /// Server-assigned id.
    id: Option<String>,
    /// Same as the server.
    #[scim(required, case_exact, uniqueness = "server")]
    serial_number: Option<String>,
    /// The server says `integer`.
    screen_size: Option<f64>,
    /// The server says single-valued.
    tags: Vec<String>,
    /// The server says `readOnly`, `returned: always`, required.
    display_name: Option<String>,
    /// The server says case-insensitive and no uniqueness.
    #[scim(case_exact, uniqueness = "global")]
    asset_tag: Option<String>,
    /// Not on the server.
    color: Option<String>,
    /// A complex attribute whose sub-attributes differ.
    owner: Option<Owner>,
    /// What this type does not model.
    #[scim(unknown)]
    unknown: Map<String, Value>,
}

/// The owner of a device.
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
struct Owner {
    /// The server says `returned: request`.
    value: Option<String>,
    /// Same as the server.
    #[scim(rename = "$ref", reference_types = ["User"])]
    ref_: Option<Reference>,
}

fn server_device() -> Value {
    json!({
        "id": DEVICE,
        "name": "Device",
        "attributes": [
            // Some servers list the common attributes; they are not compared.
            {"name": "id", "type": "string", "caseExact": true, "mutability": "readOnly",
             "returned": "always", "uniqueness": "server"},
            {"name": "serialNumber", "type": "string", "required": true, "caseExact": true,
             "uniqueness": "server"},
            {"name": "screenSize", "type": "integer"},
            {"name": "tags", "type": "string", "multiValued": false},
            {"name": "displayName", "type": "string", "required": true,
             "mutability": "readOnly", "returned": "always"},
            {"name": "ASSETTAG", "type": "string"},
            {"name": "owner", "type": "complex", "subAttributes": [
                {"name": "value", "type": "string", "returned": "request"},
                {"name": "$ref", "type": "reference", "referenceTypes": ["User"]},
                {"name": "display", "type": "string", "mutability": "readOnly"}
            ]},
            {"name": "location", "type": "string"}
        ]
    })
}

#[test]
fn every_kind_of_difference_is_reported() {
    let remote = SchemaDef::from_json(&server_device()).expect("schema");
    let differences = drift::compare(Device::SCHEMA, &remote);
    let at = |path: &str, kind| Difference {
        schema: DEVICE.to_owned(),
        path: path.to_owned(),
        kind,
    };
    assert_eq!(
        differences,
        [
            at(
                "screenSize",
                DifferenceKind::Type {
                    local: AttributeType::Decimal,
                    remote: AttributeType::Integer
                }
            ),
            at(
                "tags",
                DifferenceKind::MultiValued {
                    local: true,
                    remote: false
                }
            ),
            at(
                "displayName",
                DifferenceKind::Required {
                    local: false,
                    remote: true
                }
            ),
            at(
                "displayName",
                DifferenceKind::Mutability {
                    local: Mutability::ReadWrite,
                    remote: Mutability::ReadOnly
                }
            ),
            at(
                "displayName",
                DifferenceKind::Returned {
                    local: Returned::Default,
                    remote: Returned::Always
                }
            ),
            at(
                "assetTag",
                DifferenceKind::CaseExact {
                    local: true,
                    remote: false
                }
            ),
            at(
                "assetTag",
                DifferenceKind::Uniqueness {
                    local: Uniqueness::Global,
                    remote: Uniqueness::None
                }
            ),
            at("color", DifferenceKind::MissingOnServer),
            at(
                "owner.value",
                DifferenceKind::Returned {
                    local: Returned::Default,
                    remote: Returned::Request
                }
            ),
            at("owner.display", DifferenceKind::MissingLocally),
            at("location", DifferenceKind::MissingLocally),
        ]
    );
    assert_eq!(
        drift::render(&differences),
        [
            "screenSize: type differs: local decimal, server integer",
            "tags: multi-valuedness differs: local multi-valued, server single-valued",
            "displayName: requiredness differs: local optional, server required",
            "displayName: mutability differs: local readWrite, server readOnly",
            "displayName: returned differs: local default, server always",
            "assetTag: case-exactness differs: local case-exact, server case-insensitive",
            "assetTag: uniqueness differs: local global, server none",
            "color: missing on the server",
            "owner.value: returned differs: local default, server request",
            "owner.display: defined by the server, not modelled locally",
            "location: defined by the server, not modelled locally",
        ]
        .map(|l| format!("{DEVICE}: {l}"))
        .join("\n")
    );
}

/// A complex attribute that is a string on the server: the type differs, and the
/// sub-attributes are not compared.
#[test]
fn a_type_change_stops_the_walk() {
    let mut server = server_device();
    server["attributes"][6] = json!({"name": "owner", "type": "string", "caseExact": true});
    let remote = SchemaDef::from_json(&server).expect("schema");
    let owner: Vec<Difference> = drift::compare(Device::SCHEMA, &remote)
        .into_iter()
        .filter(|d| d.path.starts_with("owner"))
        .collect();
    assert_eq!(
        lines(&owner),
        [format!(
            "{DEVICE}: owner: type differs: local complex, server string"
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// At start-up: `Client::check_drift` against a fake server.
// ---------------------------------------------------------------------------------------------

/// A vendor extension the server does not know.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:example:params:scim:schemas:extension:acme:2.0:User")]
struct Acme {
    /// A cost code.
    code: Option<String>,
}

/// A server serving the RFC 7643 section 8.5-8.7 discovery documents.
async fn rfc_server() -> MockServer {
    let server = MockServer::start().await;
    let list = |resources: Value| {
        let n = resources.as_array().map_or(0, Vec::len);
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": n,
            "Resources": resources,
        })
    };
    for (at, body) in [
        (
            "/ServiceProviderConfig",
            rfc("service-provider-config.json"),
        ),
        ("/ResourceTypes", list(rfc("resource-types.json"))),
        ("/Schemas", list(rfc("resource-schemas.json"))),
    ] {
        Mock::given(method("GET"))
            .and(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                serde_json::to_vec(&body).expect("JSON"),
                "application/scim+json",
            ))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn check_drift_at_start_up() {
    let server = rfc_server().await;
    let scim = Client::builder(&server.uri()).build().expect("client");

    let drift = scim
        .check_drift::<User<EnterpriseUser>>()
        .await
        .expect("discovery works");
    assert_eq!(
        lines(&drift),
        [
            format!("{USER}: addresses.primary: missing on the server"),
            format!(
                "{ENTERPRISE}: manager.value: case-exactness differs: local case-exact, server case-insensitive"
            ),
        ]
    );

    let drift = scim.check_drift::<Group>().await.expect("discovery works");
    assert_eq!(drift.len(), 2, "{}", drift::render(&drift));

    // An extension the server does not serve is one difference, for the whole schema.
    let drift = scim
        .check_drift::<User<(EnterpriseUser, Acme)>>()
        .await
        .expect("discovery works");
    assert_eq!(
        drift.last(),
        Some(&Difference {
            schema: Acme::SCHEMA.id.to_string(),
            path: String::new(),
            kind: DifferenceKind::SchemaMissingOnServer,
        })
    );
    assert_eq!(
        drift.last().map(ToString::to_string).as_deref(),
        Some(
            "urn:example:params:scim:schemas:extension:acme:2.0:User: schema not served by the server"
        )
    );
}

#[tokio::test]
async fn check_drift_reports_a_failed_discovery() {
    let server = MockServer::start().await;
    let scim = Client::builder(&server.uri())
        .retry(scim_client::client::RetryPolicy::none())
        .build()
        .expect("client");
    let err = scim
        .check_drift::<Group>()
        .await
        .expect_err("no discovery documents");
    assert!(
        matches!(
            err,
            scim_client::Error::Scim(_) | scim_client::Error::UnexpectedStatus { .. }
        ),
        "{err:?}"
    );
}
