//! Runtime behaviour of the derives, seen through `scim_client`'s public API: wire names,
//! parsing, unknown attributes, and the metadata table each derive builds.

use std::error::Error as _;

use scim_client::codec::{self, Context};
use scim_client::model::Meta;
use scim_client::schema::{Attribute, AttributeType, Mutability, Returned, SchemaDef, Uniqueness};
use scim_client::{
    Binary, Complex, Extension, Reference, Resource, ScimComplex, ScimExtension, ScimResource,
};
use serde_json::{Map, Value, json};

const DEVICE: &str = "urn:example:params:scim:schemas:2.0:Device";
const ACME: &str = "urn:example:params:scim:schemas:extension:acme:2.0:Device";

/// Multi-valued by alias.
type Tags = Vec<String>;
/// Optional by alias.
type Label = Option<String>;
/// A plain alias of a scalar.
type Serial = String;

/// A networked device.
///
/// Racked or not.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
struct Device {
    id: Option<String>,
    external_id: Option<String>,
    meta: Option<Meta>,
    /// The serial number,
    ///   as printed on the case.
    #[scim(case_exact, uniqueness = "server")]
    serial_number: Serial,
    display_name: Option<String>,
    #[scim(rename = "hostName")]
    host: Option<String>,
    r#type: Option<String>,
    /// Ignored: `description` wins.
    #[scim(canonical_values = ["work", "lab"], description = "Where it is used.")]
    usage: Option<String>,
    #[scim(mutability = "readOnly", returned = "always")]
    firmware: Option<String>,
    #[scim(mutability = "writeOnly", returned = "never")]
    secret: Option<String>,
    #[scim(mutability = "immutable", returned = "request", uniqueness = "global")]
    asset_id: Option<String>,
    #[scim(reference_types = ["User", "external"])]
    owner: Option<Reference>,
    #[scim(type = "reference", reference_types = ["uri"])]
    homepage: Option<String>,
    #[scim(required)]
    location: Option<String>,
    #[scim(required = false)]
    model: Option<String>,
    tags: Tags,
    label: Label,
    interfaces: Vec<Interface>,
    port_count: Option<i64>,
    load: Option<f64>,
    enabled: Option<bool>,
    certificate: Option<Binary>,
    x509_thumbprint: Option<String>,
    #[scim(unknown)]
    unknown: Map<String, Value>,
    #[scim(skip)]
    local_note: Option<String>,
    #[scim(skip)]
    fetch_count: u32,
}

/// A network interface.
#[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
struct Interface {
    /// The MAC address.
    value: Option<String>,
    #[scim(rename = "$ref", reference_types = ["Interface"])]
    ref_: Option<Reference>,
    #[scim(canonical_values = ["ethernet", "wifi"])]
    r#type: Option<String>,
    primary: Option<bool>,
}

/// Acme's additions to a device.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:extension:acme:2.0:Device",
    name = "AcmeDevice"
)]
struct Acme {
    /// Acme's cost center.
    cost_center: Option<String>,
    #[scim(unknown)]
    unknown: Map<String, Value>,
}

/// A rack, with a required extension and a renamed resource type.
#[derive(ScimResource, Clone, Debug, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Rack",
    name = "ServerRack",
    resource_type = "Rack"
)]
struct Rack {
    id: Option<String>,
    name: Option<String>,
    #[scim(extension, required)]
    acme: Option<Acme>,
    #[scim(unknown)]
    unknown: Map<String, Value>,
}

#[derive(ScimResource, Clone, Debug)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Widget",
    description = "A widget, described by the attribute."
)]
struct Widget {
    id: Option<String>,
}

#[derive(ScimResource, Clone, Debug)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Cabinet",
    endpoint = "/v2/Cabinets"
)]
struct Cabinet {
    id: Option<String>,
}

fn schema_names(schema: &SchemaDef) -> Vec<&str> {
    schema.attributes.iter().map(|a| &*a.name).collect()
}

fn attr(name: &str) -> &'static Attribute {
    Device::SCHEMA
        .attribute(name)
        .unwrap_or_else(|| panic!("`{name}` is in the schema"))
}

fn device(json: &Value) -> Result<Device, scim_client::Error> {
    codec::from_value(json.clone(), Context::Default)
}

/// The error and its sources, as one string.
fn chain(e: &scim_client::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[test]
fn wire_names_are_camel_case_or_renamed() {
    assert_eq!(
        schema_names(Device::SCHEMA),
        [
            "serialNumber",
            "displayName",
            "hostName",
            "type",
            "usage",
            "firmware",
            "secret",
            "assetId",
            "owner",
            "homepage",
            "location",
            "model",
            "tags",
            "label",
            "interfaces",
            "portCount",
            "load",
            "enabled",
            "certificate",
            "x509Thumbprint",
        ]
    );
    assert_eq!(
        Interface::ATTRIBUTES
            .iter()
            .map(|a| &*a.name)
            .collect::<Vec<_>>(),
        ["value", "$ref", "type", "primary"]
    );
    let d = Device {
        serial_number: "X-1".into(),
        display_name: Some("printer".into()),
        host: Some("h1".into()),
        r#type: Some("laser".into()),
        x509_thumbprint: Some("ab".into()),
        interfaces: vec![Interface {
            ref_: Some(Reference::from("/Interfaces/1")),
            ..Interface::default()
        }],
        ..Device::default()
    };
    assert_eq!(
        codec::to_value(&d, Context::Default).unwrap(),
        json!({
            "schemas": [DEVICE],
            "serialNumber": "X-1",
            "displayName": "printer",
            "hostName": "h1",
            "type": "laser",
            "interfaces": [{"$ref": "/Interfaces/1"}],
            "x509Thumbprint": "ab",
        })
    );
}

#[test]
fn input_keys_match_case_insensitively() {
    let d = device(&json!({
        "SCHEMAS": [DEVICE],
        "ID": "7",
        "EXTERNALID": "e7",
        "SERIALNUMBER": "X-1",
        "hostname": "h1",
        "Type": "laser",
        "Interfaces": [{"VALUE": "aa:bb", "$REF": "/i/1", "PRIMARY": true}],
    }))
    .unwrap();
    assert_eq!(d.id.as_deref(), Some("7"));
    assert_eq!(d.external_id.as_deref(), Some("e7"));
    assert_eq!(d.serial_number, "X-1");
    assert_eq!(d.host.as_deref(), Some("h1"));
    assert_eq!(d.r#type.as_deref(), Some("laser"));
    assert_eq!(d.interfaces[0].value.as_deref(), Some("aa:bb"));
    assert_eq!(
        d.interfaces[0].ref_.as_ref().map(Reference::as_str),
        Some("/i/1")
    );
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    // Written back in the schema's spelling.
    let out = codec::to_value(&d, Context::Default).unwrap();
    assert_eq!(out["serialNumber"], "X-1");
    assert_eq!(out["hostName"], "h1");
    assert_eq!(out["interfaces"][0]["primary"], true);
}

#[test]
fn duplicate_keys_differing_in_case_are_rejected() {
    for input in [
        json!({"serialNumber": "a", "SERIALNUMBER": "b"}),
        json!({"serialNumber": "a", "hostName": "h", "HOSTNAME": "h"}),
        json!({"serialNumber": "a", "interfaces": [{"value": "x", "Value": "y"}]}),
        // Attributes the type does not model, too.
        json!({"serialNumber": "a", "color": "red", "COLOR": "blue"}),
    ] {
        let e = device(&input).expect_err("a duplicate attribute");
        assert!(
            chain(&e).contains("duplicate attribute"),
            "{input}: {}",
            chain(&e)
        );
    }
}

#[test]
fn null_is_absent_for_option_and_vec() {
    let d = device(&json!({
        "serialNumber": "X-1",
        "displayName": null,
        "tags": null,
        "interfaces": null,
        "label": null,
        "meta": null,
    }))
    .unwrap();
    assert_eq!(d.display_name, None);
    assert!(d.tags.is_empty());
    assert!(d.interfaces.is_empty());
    assert_eq!(d.label, None);
    assert_eq!(d.meta, None);
    // Absent is the same as null.
    assert_eq!(d, device(&json!({"serialNumber": "X-1"})).unwrap());
}

#[test]
fn missing_bare_string_is_an_error_naming_it() {
    let e = device(&json!({"displayName": "printer"})).expect_err("serialNumber is missing");
    let msg = chain(&e);
    assert!(msg.contains("serialNumber"), "{msg}");
    assert!(msg.contains("missing"), "{msg}");
    // `null` does not stand in for a bare `String`.
    let e = device(&json!({"serialNumber": null})).expect_err("serialNumber is null");
    assert!(chain(&e).contains("serialNumber"), "{}", chain(&e));
}

#[test]
fn skip_fields_take_their_default() {
    let d = device(&json!({"serialNumber": "X-1", "localNote": "kept as unknown"})).unwrap();
    assert_eq!(d.local_note, None);
    assert_eq!(d.fetch_count, 0);
    // A skipped field is not an attribute: its wire name lands in the unknown map.
    assert_eq!(d.unknown.get("localNote"), Some(&json!("kept as unknown")));
    assert!(Device::SCHEMA.attribute("localNote").is_none());
    assert!(Device::SCHEMA.attribute("fetchCount").is_none());

    let d = Device {
        serial_number: "X-1".into(),
        local_note: Some("not sent".into()),
        fetch_count: 3,
        ..Device::default()
    };
    let out = codec::to_value(&d, Context::Default).unwrap();
    assert_eq!(out, json!({"schemas": [DEVICE], "serialNumber": "X-1"}));
}

#[test]
fn unknown_keeps_extra_attributes_and_extensions() {
    let input = json!({
        "schemas": [DEVICE, "urn:other:ext:2.0:Device"],
        "serialNumber": "X-1",
        "color": "grey",
        "dimensions": {"height": 2, "width": 3},
        "urn:other:ext:2.0:Device": {"zone": "b"},
        "interfaces": [{"value": "aa", "speed": 100}],
    });
    let d = device(&input).unwrap();
    assert_eq!(d.unknown.len(), 3, "{:?}", d.unknown);
    assert_eq!(d.unknown["color"], "grey");
    assert_eq!(d.unknown["urn:other:ext:2.0:Device"], json!({"zone": "b"}));
    assert_eq!(d.unknown(), Some(&d.unknown));
    // The unknown extension counts as present.
    assert_eq!(d.schemas(), [DEVICE, "urn:other:ext:2.0:Device"]);
    // Sub-attributes the complex type does not model are dropped (it has no unknown map)...
    assert_eq!(d.interfaces[0].value.as_deref(), Some("aa"));
    // ...and everything the resource keeps is written back.
    let out = codec::to_value(&d, Context::Default).unwrap();
    let mut expected = input;
    expected["interfaces"] = json!([{"value": "aa"}]);
    assert_eq!(out, expected);

    // Unknown extensions of a resource with known ones are kept too.
    let rack: Rack = codec::from_value(
        json!({
            "schemas": ["urn:example:params:scim:schemas:2.0:Rack", ACME, "urn:other:ext:2.0:Rack"],
            ACME: {"costCenter": "cc", "budget": 7},
            "urn:other:ext:2.0:Rack": {"row": 4},
        }),
        Context::Default,
    )
    .unwrap();
    let acme = rack.acme.as_ref().expect("the known extension");
    assert_eq!(acme.cost_center.as_deref(), Some("cc"));
    assert_eq!(acme.unknown["budget"], 7);
    assert_eq!(rack.unknown["urn:other:ext:2.0:Rack"], json!({"row": 4}));
    let out = codec::to_value(&rack, Context::Default).unwrap();
    assert_eq!(
        out,
        json!({
            "schemas": ["urn:example:params:scim:schemas:2.0:Rack", ACME, "urn:other:ext:2.0:Rack"],
            ACME: {"costCenter": "cc", "budget": 7},
            "urn:other:ext:2.0:Rack": {"row": 4},
        })
    );
}

#[test]
fn doc_comments_become_descriptions() {
    let schema: &SchemaDef = <Device as Resource>::SCHEMA;
    assert_eq!(schema.id, DEVICE);
    assert_eq!(schema.name, "Device");
    assert_eq!(schema.description, "A networked device. Racked or not.");
    assert_eq!(Device::DESCRIPTION, "A networked device. Racked or not.");
    assert_eq!(
        attr("serialNumber").description,
        "The serial number, as printed on the case."
    );
    // `description = "..."` wins over the doc comment.
    assert_eq!(attr("usage").description, "Where it is used.");
    // No doc comment: an empty description.
    assert_eq!(attr("displayName").description, "");
    assert_eq!(Interface::ATTRIBUTES[0].description, "The MAC address.");
    assert_eq!(
        Widget::SCHEMA.description,
        "A widget, described by the attribute."
    );
    assert_eq!(Widget::DESCRIPTION, Widget::SCHEMA.description);
    assert_eq!(
        <Acme as Extension>::SCHEMA.description,
        "Acme's additions to a device."
    );
    assert_eq!(
        <Acme as Extension>::SCHEMA.attributes[0].description,
        "Acme's cost center."
    );
}

#[test]
fn characteristics_are_read_back_from_the_schema() {
    // Defaults (RFC 7643 section 2.2), for an `Option<String>`.
    let a = attr("displayName");
    assert_eq!(a.ty, AttributeType::String);
    assert!(!a.multi_valued && !a.required && !a.case_exact);
    assert_eq!(a.mutability, Mutability::ReadWrite);
    assert_eq!(a.returned, Returned::Default);
    assert_eq!(a.uniqueness, Uniqueness::None);
    assert!(a.canonical_values.is_empty() && a.reference_types.is_empty());

    // A bare `String` (through an alias) is required; `case_exact` and `uniqueness` as given.
    let a = attr("serialNumber");
    assert!(a.required && a.case_exact);
    assert_eq!(a.uniqueness, Uniqueness::Server);
    // `required` and `required = false` override the type.
    assert!(attr("location").required);
    assert!(!attr("model").required);

    assert_eq!(attr("firmware").mutability, Mutability::ReadOnly);
    assert_eq!(attr("firmware").returned, Returned::Always);
    assert_eq!(attr("secret").mutability, Mutability::WriteOnly);
    assert_eq!(attr("secret").returned, Returned::Never);
    let a = attr("assetId");
    assert_eq!(a.mutability, Mutability::Immutable);
    assert_eq!(a.returned, Returned::Request);
    assert_eq!(a.uniqueness, Uniqueness::Global);

    assert_eq!(&*attr("usage").canonical_values, ["work", "lab"]);
    let a = attr("owner");
    assert_eq!(a.ty, AttributeType::Reference);
    assert_eq!(&*a.reference_types, ["User", "external"]);
    // `type = "reference"` overrides what the Rust type says.
    let a = attr("homepage");
    assert_eq!(a.ty, AttributeType::Reference);
    assert_eq!(&*a.reference_types, ["uri"]);

    // Types from the Rust type; `Vec` is multi-valued and optional.
    assert_eq!(attr("portCount").ty, AttributeType::Integer);
    assert_eq!(attr("load").ty, AttributeType::Decimal);
    assert_eq!(attr("enabled").ty, AttributeType::Boolean);
    assert_eq!(attr("certificate").ty, AttributeType::Binary);
    let a = attr("tags");
    assert_eq!(a.ty, AttributeType::String);
    assert!(a.multi_valued && !a.required);
    let a = attr("label");
    assert!(!a.multi_valued && !a.required);
    let a = attr("interfaces");
    assert_eq!(a.ty, AttributeType::Complex);
    assert!(a.multi_valued && !a.required);
    assert_eq!(&*a.sub_attributes, Interface::ATTRIBUTES);
    let sub = a.sub_attribute("TYPE").expect("case-insensitive lookup");
    assert_eq!(&*sub.canonical_values, ["ethernet", "wifi"]);
    let sub = a.sub_attribute("$ref").unwrap();
    assert_eq!(sub.ty, AttributeType::Reference);
    assert_eq!(&*sub.reference_types, ["Interface"]);

    // The common attributes are not part of the schema.
    for common in ["id", "externalId", "meta"] {
        assert!(Device::SCHEMA.attribute(common).is_none(), "{common}");
    }
}

#[test]
fn characteristics_drive_the_context_rules() {
    let d = Device {
        id: Some("7".into()),
        serial_number: "X-1".into(),
        firmware: Some("1.2".into()),
        secret: Some("s3cret".into()),
        ..Device::default()
    };
    // A create request leaves out `id` and the readOnly `firmware`, and needs `location`.
    let e = codec::to_value(&d, Context::CreateRequest).expect_err("location is required");
    let v = e.violations().expect("violations");
    assert!(v.concerns("location"), "{e}");
    let d = Device {
        location: Some("lab 3".into()),
        ..d
    };
    let body = codec::to_value(&d, Context::CreateRequest).unwrap();
    assert_eq!(
        body,
        json!({
            "schemas": [DEVICE],
            "serialNumber": "X-1",
            "secret": "s3cret",
            "location": "lab 3",
        })
    );
    // A response with the returned=never `secret` is refused.
    let e = codec::from_value::<Device>(
        json!({"id": "7", "serialNumber": "X-1", "firmware": "1", "secret": "s"}),
        Context::QueryResponse,
    )
    .expect_err("secret is returned=never");
    assert!(e.violations().unwrap().concerns("secret"), "{e}");
}

#[test]
fn endpoints_names_and_extensions() {
    assert_eq!(Device::RESOURCE_TYPE, "Device");
    assert_eq!(Device::ENDPOINT, "/Devices");
    assert!(Device::extensions().is_empty());

    // `name` names the schema; `resource_type` names the type and its endpoint.
    assert_eq!(Rack::SCHEMA.name, "ServerRack");
    assert_eq!(Rack::RESOURCE_TYPE, "Rack");
    assert_eq!(Rack::ENDPOINT, "/Racks");
    let ext = Rack::extensions();
    assert_eq!(ext.len(), 1);
    assert_eq!(ext[0].schema.id, ACME);
    assert!(ext[0].required);
    assert_eq!(<Acme as Extension>::SCHEMA.name, "AcmeDevice");

    assert_eq!(Widget::ENDPOINT, "/Widgets");
    assert_eq!(Cabinet::RESOURCE_TYPE, "Cabinet");
    assert_eq!(Cabinet::ENDPOINT, "/v2/Cabinets");
    let b = Cabinet {
        id: Some("a/b".into()),
    };
    assert_eq!(b.location_path().as_deref(), Some("/v2/Cabinets/a%2Fb"));
}

#[test]
fn common_attributes_are_wired() {
    let d = device(&json!({
        "id": "7",
        "serialNumber": "X-1",
        "meta": {"resourceType": "Device", "version": "W/\"1\""},
    }))
    .unwrap();
    assert_eq!(d.id(), Some("7"));
    assert_eq!(d.meta().and_then(|m| m.version.as_deref()), Some("W/\"1\""));
    let mut d = d;
    *d.meta_mut().expect("a meta slot") = None;
    assert_eq!(d.meta, None);
    // Types without the common attributes say so.
    let w = Widget { id: None };
    assert_eq!(w.id(), None);
    assert!(w.unknown().is_none());
}
