//! A bespoke resource with a vendor extension and a complex multi-valued attribute, through the
//! whole derive surface: metadata, export and import, contexts, unknown attributes.

use scim_client::codec::{self, Context, UnknownPolicy};
use scim_client::error::Rule;
use scim_client::schema::{AttributeType, Mutability, Returned, SchemaDef, Uniqueness};
use scim_client::{
    Error, Extension, Reference, Resource, ScimComplex, ScimExtension, ScimResource,
};
use serde_json::{Map, Value, json};

/// A device enrolled with the service provider.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Device",
    resource_type = "Device"
)]
pub struct Device {
    /// Server-assigned id.
    pub id: Option<String>,
    /// Resource metadata.
    pub meta: Option<scim_client::model::Meta>,
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
    /// Network interfaces.
    pub interfaces: Vec<Interface>,
    /// The vendor's extension.
    #[scim(extension, required)]
    pub acme: Option<AcmeDevice>,
    /// Not on the wire.
    #[scim(skip)]
    pub dirty: bool,
    /// What this type does not model.
    #[scim(unknown)]
    pub unknown: Map<String, Value>,
}

/// A network interface.
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
}

/// ACME's device extension.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:acme:params:scim:schemas:extension:2.0:Device",
    name = "AcmeDevice"
)]
pub struct AcmeDevice {
    /// The asset tag.
    pub asset_tag: Option<String>,
}

fn device_json() -> Value {
    json!({
        "schemas": ["urn:example:params:scim:schemas:2.0:Device",
                    "urn:acme:params:scim:schemas:extension:2.0:Device"],
        "id": "d-42",
        "serialNumber": "C02XL0GZJGH5",
        "kind": "laptop",
        "owner": "../Users/2819c223",
        "interfaces": [{"value": "aa:01", "type": "wifi", "primary": true}, {"value": "aa:02"}],
        "urn:acme:params:scim:schemas:extension:2.0:Device": {"assetTag": "A-0042"},
        "firmware": "14.2"
    })
}

#[test]
fn metadata_comes_from_types_and_keys() {
    assert_eq!(Device::ENDPOINT, "/Devices");
    assert_eq!(Device::RESOURCE_TYPE, "Device");
    assert_eq!(
        Device::SCHEMA.description,
        "A device enrolled with the service provider."
    );
    let serial = Device::SCHEMA
        .attribute("serialnumber")
        .expect("serialNumber");
    assert_eq!(serial.ty, AttributeType::String);
    assert!(serial.required && serial.case_exact);
    assert_eq!(serial.uniqueness, Uniqueness::Global);
    assert_eq!(serial.mutability, Mutability::Immutable);
    let secret = Device::SCHEMA.attribute("secret").expect("secret");
    assert_eq!(
        (secret.mutability, secret.returned),
        (Mutability::WriteOnly, Returned::Never)
    );
    let owner = Device::SCHEMA.attribute("owner").expect("owner");
    assert_eq!(owner.ty, AttributeType::Reference);
    assert_eq!(owner.reference_types.as_ref(), ["User"]);
    let interfaces = Device::SCHEMA.attribute("interfaces").expect("interfaces");
    assert!(interfaces.multi_valued && !interfaces.required);
    assert_eq!(interfaces.ty, AttributeType::Complex);
    assert_eq!(interfaces.sub_attributes.len(), 3);
    assert_eq!(
        interfaces.sub_attribute("TYPE").map(|a| a.name.as_ref()),
        Some("type")
    );
    assert!(
        Device::SCHEMA.attribute("id").is_none(),
        "common attributes are not listed"
    );
    assert!(
        Device::SCHEMA.attribute("dirty").is_none(),
        "skipped fields are not listed"
    );
    let ext = Device::extensions();
    assert_eq!(ext.len(), 1);
    assert!(ext[0].required);
    assert_eq!(ext[0].schema.id, AcmeDevice::SCHEMA.id);
}

#[test]
fn exported_schema_imports_back_to_the_same_metadata() {
    for schema in [Device::SCHEMA, AcmeDevice::SCHEMA] {
        let json = schema.to_json();
        let imported = SchemaDef::from_json(&json).expect("import");
        assert_eq!(&imported, schema);
        assert_eq!(imported.to_json(), json);
    }
}

#[test]
fn parses_keeps_unknown_and_writes_back_in_create_context() {
    let bytes = serde_json::to_vec(&device_json()).expect("json");
    let d: Device = codec::from_slice(&bytes, Context::QueryResponse).expect("parse");
    assert_eq!(d.serial_number, "C02XL0GZJGH5");
    assert_eq!(d.interfaces[0].kind.as_deref(), Some("wifi"));
    assert_eq!(
        d.acme.as_ref().and_then(|a| a.asset_tag.as_deref()),
        Some("A-0042")
    );
    assert_eq!(d.unknown.get("firmware"), Some(&json!("14.2")));
    let body = codec::to_value(&d, Context::CreateRequest).expect("create");
    let mut expected = device_json();
    let obj = expected.as_object_mut().expect("object");
    obj.remove("id");
    assert_eq!(body, expected);
}

#[test]
fn context_rules_apply_to_the_custom_type() {
    let mut d = Device {
        serial_number: "X".into(),
        secret: Some("s3cret".into()),
        acme: Some(AcmeDevice::default()),
        ..Device::default()
    };
    // The extension is required but empty: refused before anything is sent.
    let err = codec::to_value(&d, Context::CreateRequest).expect_err("required extension");
    let v = err.violations().expect("violations");
    assert!(v.iter().any(|v| v.rule == Rule::RequiredExtension));
    d.acme = Some(AcmeDevice {
        asset_tag: Some("A".into()),
    });
    let body = codec::to_value(&d, Context::CreateRequest).expect("create");
    assert_eq!(body["secret"], "s3cret");
    // writeOnly attributes are never part of a query.
    let v = codec::violations(&d, Context::QueryRequest, UnknownPolicy::Keep);
    assert!(
        v.iter()
            .any(|v| v.attribute == "secret" && v.rule == Rule::WriteOnly)
    );
    // Two primary interfaces are refused.
    d.interfaces = vec![
        Interface {
            primary: Some(true),
            ..Interface::default()
        },
        Interface {
            primary: Some(true),
            ..Interface::default()
        },
    ];
    let v = codec::violations(&d, Context::ReplaceRequest, UnknownPolicy::Keep);
    assert!(
        v.iter()
            .any(|v| v.attribute == "interfaces" && v.rule == Rule::PrimaryUniqueness)
    );
}

#[test]
fn missing_mandatory_field_names_the_attribute_and_path() {
    let err = codec::from_slice::<Device>(
        br#"{"id": "1", "interfaces": [{"primary": "yes"}]}"#,
        Context::QueryResponse,
    )
    .expect_err("bad payload");
    match err {
        Error::Decode { path, .. } => assert_eq!(path, "interfaces[0].primary"),
        other => panic!("unexpected {other:?}"),
    }
    let err = codec::from_slice::<Device>(br#"{"id": "1"}"#, Context::QueryResponse)
        .expect_err("missing");
    assert!(err.to_string().contains("Device"), "{err}");
    assert!(
        std::error::Error::source(&err).is_some_and(|s| s.to_string().contains("serialNumber"))
    );
}
