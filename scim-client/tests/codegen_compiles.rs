//! The golden files of `codegen.rs` (`tests/generated/*.rs`), compiled: every generated type
//! derives, and the schema it exports equals the schema it was generated from, both as
//! metadata (`SchemaDef` equality, descriptions included) and as RFC 7643 section 7 JSON
//! compared attribute by attribute (defaults filled in, descriptions whitespace-normalised).
//! The generated types then carry real payloads through the codec.

use std::path::Path;

use scim_client::codec::{self, Context};
use scim_client::schema::SchemaDef;
use scim_client::{Extension, Resource};
use serde_json::{Map, Value, json};

/// The RFC 7643 `User`, `Group` and `EnterpriseUser` schemas, generated.
#[allow(unreachable_pub, clippy::doc_markdown, clippy::struct_field_names)]
mod rfc {
    include!("generated/rfc.rs");
}

/// The vendor `Device` and `Rack` schemas and their extensions, generated.
#[allow(unreachable_pub, clippy::doc_markdown, clippy::struct_field_names)]
mod vendor {
    include!("generated/vendor.rs");
}

fn fixture(path: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The schema with this URN among a list or `ListResponse` of schemas.
fn input_schema(file: &str, urn: &str) -> Value {
    let all = fixture(file);
    let list = all
        .get("Resources")
        .cloned()
        .unwrap_or(all)
        .as_array()
        .cloned()
        .expect("a list of schemas");
    list.into_iter()
        .find(|s| s["id"] == urn)
        .unwrap_or_else(|| panic!("{file}: no schema {urn}"))
}

/// The characteristics compared.
const CHARACTERISTICS: [&str; 10] = [
    "type",
    "multiValued",
    "description",
    "required",
    "caseExact",
    "mutability",
    "returned",
    "uniqueness",
    "canonicalValues",
    "referenceTypes",
];

/// The RFC 7643 section 2.2 default of a characteristic.
fn default_of(key: &str) -> Value {
    match key {
        "type" => json!("string"),
        "description" => json!(""),
        "mutability" => json!("readWrite"),
        "returned" => json!("default"),
        "uniqueness" => json!("none"),
        "canonicalValues" | "referenceTypes" => json!([]),
        _ => json!(false),
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One attribute with every characteristic present and its description whitespace-normalised;
/// `caseExact` and `uniqueness` are dropped from complex attributes, where they do not apply
/// (RFC 7643 erratum 6004; `to_json` leaves them out).
fn normalise(attribute: &Value) -> Map<String, Value> {
    let given = attribute.as_object().expect("an attribute");
    let complex = given.get("type") == Some(&json!("complex"));
    let mut out = Map::new();
    out.insert("name".into(), given["name"].clone());
    for key in CHARACTERISTICS {
        if complex && (key == "caseExact" || key == "uniqueness") {
            continue;
        }
        let value = given
            .get(key)
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| default_of(key));
        let value = match value {
            Value::String(s) if key == "description" => Value::String(squash(&s)),
            v => v,
        };
        out.insert(key.into(), value);
    }
    let subs: Vec<Value> = given
        .get("subAttributes")
        .and_then(Value::as_array)
        .map(|l| l.iter().map(|a| Value::Object(normalise(a))).collect())
        .unwrap_or_default();
    out.insert("subAttributes".into(), Value::Array(subs));
    out
}

fn attributes(at: &str, ours: &[Value], theirs: &[Value], out: &mut Vec<String>) {
    if ours.len() != theirs.len() {
        out.push(format!(
            "{at}: {} attributes exported, {} in the input",
            ours.len(),
            theirs.len()
        ));
    }
    for (o, t) in ours.iter().zip(theirs) {
        let (o, t) = (normalise(o), normalise(t));
        let path = format!("{at}{}", t["name"].as_str().unwrap_or("?"));
        for (k, tv) in &t {
            if k != "subAttributes" && o.get(k) != Some(tv) {
                out.push(format!("{path}.{k}: exported {:?}, input {tv}", o.get(k)));
            }
        }
        let subs = |m: &Map<String, Value>| m["subAttributes"].as_array().cloned();
        attributes(
            &format!("{path}."),
            &subs(&o).unwrap_or_default(),
            &subs(&t).unwrap_or_default(),
            out,
        );
    }
}

/// Compares the exported schema with the input, attribute by attribute (in order), listing
/// every difference.
fn compare_json(exported: &Value, input: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["id", "name", "description"] {
        if exported[key] != input[key] {
            out.push(format!(
                "{key}: exported {}, input {}",
                exported[key], input[key]
            ));
        }
    }
    attributes(
        "",
        exported["attributes"].as_array().expect("attributes"),
        input["attributes"].as_array().expect("attributes"),
        &mut out,
    );
    out
}

/// The generated schema equals the input: as metadata exactly, and as JSON.
fn assert_round_trip(generated: &SchemaDef, file: &str) {
    let input = input_schema(file, &generated.id);
    let imported = SchemaDef::from_json(&input).expect("the input schema imports");
    assert_eq!(
        *generated, imported,
        "{}: the generated metadata differs from the input",
        generated.id
    );
    let differences = compare_json(&generated.to_json(), &input);
    assert!(
        differences.is_empty(),
        "{}: the exported schema differs from the input:\n{}",
        generated.id,
        differences.join("\n")
    );
}

const RFC: &str = "rfc7643/resource-schemas.json";
const VENDOR: &str = "codegen/vendor-schemas.json";

#[test]
fn rfc_types_export_their_input_schemas() {
    assert_round_trip(<rfc::User as Resource>::SCHEMA, RFC);
    assert_round_trip(<rfc::Group as Resource>::SCHEMA, RFC);
    assert_round_trip(<rfc::EnterpriseUser as Extension>::SCHEMA, RFC);
}

#[test]
fn vendor_types_export_their_input_schemas() {
    assert_round_trip(<vendor::Device as Resource>::SCHEMA, VENDOR);
    assert_round_trip(<vendor::Rack as Resource>::SCHEMA, VENDOR);
    assert_round_trip(<vendor::AcmeDevice as Extension>::SCHEMA, VENDOR);
    assert_round_trip(<vendor::DeviceExtension as Extension>::SCHEMA, VENDOR);
}

#[test]
fn resource_types_carry_over() {
    assert_eq!(rfc::User::RESOURCE_TYPE, "User");
    assert_eq!(rfc::User::ENDPOINT, "/Users");
    assert_eq!(rfc::User::DESCRIPTION, "User Account");
    let ext = rfc::User::extensions();
    assert_eq!(ext.len(), 1);
    assert_eq!(
        ext[0].schema.id,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    );
    assert!(ext[0].required);
    const { assert!(rfc::User::HAS_REQUIRED_EXTENSION) };
    assert_eq!(rfc::Group::ENDPOINT, "/Groups");
    assert!(rfc::Group::extensions().is_empty());

    assert_eq!(vendor::Device::ENDPOINT, "/Devices");
    let ext: Vec<(String, bool)> = vendor::Device::extensions()
        .iter()
        .map(|e| (e.schema.id.to_string(), e.required))
        .collect();
    assert_eq!(
        ext,
        [
            (
                "urn:example:params:scim:schemas:extension:acme:2.0:Device".to_owned(),
                true
            ),
            (
                "urn:example:params:scim:schemas:extension:audit:2.0:Device".to_owned(),
                false
            ),
        ]
    );
    assert_eq!(vendor::Rack::RESOURCE_TYPE, "Rack");
}

/// The generated types carry payloads: RFC 7643 section 8.3's full enterprise user, and a
/// device with nested complex values, an extension, a keyword and a renamed attribute.
#[test]
fn generated_types_carry_payloads() {
    // (The example carries a `password`, which a real response never does: no response
    // context.)
    let user: rfc::User =
        codec::from_value(fixture("rfc7643/user-enterprise.json"), Context::Default)
            .expect("the RFC 7643 section 8.3 user parses");
    assert_eq!(user.user_name.as_deref(), Some("bjensen@example.com"));
    assert_eq!(user.emails.len(), 2);
    assert_eq!(user.emails[0].type_.as_deref(), Some("work"));
    let enterprise = user.enterprise_user.as_ref().expect("the extension");
    assert_eq!(enterprise.employee_number.as_deref(), Some("701984"));
    let manager = enterprise.manager.as_ref().expect("a manager");
    assert_eq!(
        manager.ref_.as_ref().map(scim_client::Reference::as_str),
        Some("../Users/26118915-6090-4610-87e4-49d8ca9f808d")
    );

    let body = json!({
        "schemas": ["urn:example:params:scim:schemas:2.0:Device",
                    "urn:example:params:scim:schemas:extension:acme:2.0:Device"],
        "id": "d1",
        "serialNumber": "SN-1",
        "type": "laptop",
        "memoryMB": 16384,
        "IPAddress": "10.0.0.7",
        "asset-tag": "A-7",
        "unknown": "a real attribute",
        "vendorOnly": true,
        "purchased": "2024-05-01T10:00:00Z",
        "interfaces": [{
            "name": "eth0",
            "primary": true,
            "addresses": [{"value": "10.0.0.7", "family": "ipv4", "prefixLength": 24}],
            "link": {"speedMbps": 1000, "fullDuplex": true}
        }],
        "urn:example:params:scim:schemas:extension:acme:2.0:Device": {
            "assetTags": ["t1"],
            "warranty": {"provider": "Acme", "claims": [{"number": "C-1"}]}
        }
    });
    let device: vendor::Device =
        codec::from_value(body.clone(), Context::QueryResponse).expect("the device parses");
    assert_eq!(device.type_.as_deref(), Some("laptop"));
    assert_eq!(device.memory_mb, Some(16384));
    assert_eq!(device.ip_address.as_deref(), Some("10.0.0.7"));
    assert_eq!(device.asset_tag.as_deref(), Some("A-7"));
    assert_eq!(device.unknown.as_deref(), Some("a real attribute"));
    assert_eq!(device.unknown_.get("vendorOnly"), Some(&json!(true)));
    assert_eq!(device.interfaces[0].addresses[0].prefix_length, Some(24));
    assert_eq!(
        device.interfaces[0]
            .link
            .as_ref()
            .and_then(|l| l.speed_mbps),
        Some(1000)
    );
    let acme = device.acme_device.as_ref().expect("the extension");
    assert_eq!(
        acme.warranty.as_ref().expect("warranty").claims[0]
            .number
            .as_deref(),
        Some("C-1")
    );

    // Written back for a replace: everything but the read-only parts, in schema spelling.
    let sent = codec::to_value(&device, Context::ReplaceRequest).expect("a valid replace");
    assert_eq!(sent["IPAddress"], "10.0.0.7");
    assert_eq!(sent["asset-tag"], "A-7");
    assert_eq!(sent["vendorOnly"], true);
    assert!(sent.get("memoryMB").is_none(), "read-only");
    assert!(sent["interfaces"][0].get("link").is_none(), "read-only");
    assert_eq!(
        sent["urn:example:params:scim:schemas:extension:acme:2.0:Device"]["assetTags"],
        json!(["t1"])
    );

    // Required attributes are checked: no serial number, no create.
    let mut incomplete = device;
    incomplete.serial_number = None;
    assert!(codec::to_value(&incomplete, Context::CreateRequest).is_err());
}
