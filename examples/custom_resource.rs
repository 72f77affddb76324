//! A bespoke resource: a `Device` with a vendor extension and a complex multi-valued attribute,
//! showing the whole derive surface.
//!
//! Run with `cargo run -p scim-examples --example custom_resource`.

use scim_client::codec::{self, Context, UnknownPolicy};
use scim_client::{Reference, Resource, ScimComplex, ScimExtension, ScimResource};
use serde_json::{Map, Value};

/// A device enrolled with the service provider.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Device",
    endpoint = "/Devices",
    resource_type = "Device"
)]
pub struct Device {
    /// Server-assigned id.
    pub id: Option<String>,
    /// Client-assigned id.
    pub external_id: Option<String>,
    /// Resource metadata.
    pub meta: Option<scim_client::model::Meta>,
    /// The manufacturer's serial number.
    #[scim(required, case_exact, uniqueness = "global", mutability = "immutable")]
    pub serial_number: String,
    /// A name for people.
    pub display_name: Option<String>,
    /// The device class.
    #[scim(canonical_values = ["laptop", "phone", "tablet"])]
    pub kind: Option<String>,
    /// The owner of the device.
    #[scim(reference_types = ["User"])]
    pub owner: Option<Reference>,
    /// The enrolment secret, never returned.
    #[scim(mutability = "writeOnly", returned = "never")]
    pub enrolment_secret: Option<String>,
    /// When the device last checked in.
    #[scim(mutability = "readOnly")]
    pub last_seen: Option<jiff::Timestamp>,
    /// Network interfaces.
    pub interfaces: Vec<Interface>,
    /// The vendor's extension.
    #[scim(extension)]
    pub acme: Option<AcmeDevice>,
    /// Local bookkeeping, never on the wire.
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
    #[scim(rename = "type", canonical_values = ["wifi", "ethernet"])]
    pub kind: Option<String>,
    /// Whether this is the main interface.
    pub primary: Option<bool>,
}

/// ACME's device extension.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:acme:params:scim:schemas:extension:2.0:Device")]
pub struct AcmeDevice {
    /// The asset tag stuck on the device.
    pub asset_tag: Option<String>,
    /// Cost center charged for the device.
    pub cost_center: Option<String>,
}

fn main() -> Result<(), scim_client::Error> {
    let response = br#"{
        "schemas": ["urn:example:params:scim:schemas:2.0:Device",
                    "urn:acme:params:scim:schemas:extension:2.0:Device"],
        "id": "d-42",
        "serialNumber": "C02XL0GZJGH5",
        "displayName": "Babs's laptop",
        "kind": "laptop",
        "owner": "https://example.com/v2/Users/2819c223",
        "lastSeen": "2026-11-30T08:00:00Z",
        "interfaces": [
            {"value": "aa:bb:cc:dd:ee:01", "type": "wifi", "primary": true},
            {"value": "aa:bb:cc:dd:ee:02", "type": "ethernet"}
        ],
        "urn:acme:params:scim:schemas:extension:2.0:Device": {"assetTag": "A-0042"},
        "firmware": "14.2"
    }"#;
    let device: Device = codec::from_slice(response, Context::QueryResponse)?;
    println!("{} ({:?})", device.serial_number, device.display_name);
    println!("kept, not modelled: {:?}", device.unknown);

    // A create request: `id`, `meta` and `lastSeen` are read-only and left out; the extension
    // and the unknown `firmware` attribute travel back.
    let body = codec::to_value(&device, Context::CreateRequest)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&body).map_err(scim_client::Error::Encode)?
    );

    // The same payload refused when unknown attributes are not welcome.
    let strict =
        codec::from_slice_with::<Device>(response, Context::QueryResponse, UnknownPolicy::Refuse);
    if let Err(e) = strict {
        println!("strict: {e}");
    }

    // The schema this type exports, as `/Schemas` would serve it.
    println!(
        "{}",
        serde_json::to_string_pretty(&Device::SCHEMA.to_json())
            .map_err(scim_client::Error::Encode)?
    );
    Ok(())
}
