//! The code the derives generate is lint-clean: every lint below is an error here, and
//! `cargo clippy -p scim-derive --all-targets -- -D warnings` checks this file with clippy's
//! `all` and `pedantic` groups on top.
#![deny(
    unused_qualifications,
    missing_docs,
    clippy::pedantic,
    clippy::all,
    unreachable_pub,
    rust_2018_idioms
)]

/// Types as a user crate would write them: public, documented, each derive used.
pub mod model {
    use scim_client::{
        ExtensionSet, Extensions, Reference, ScimComplex, ScimExtension, ScimResource,
    };
    use serde_json::{Map, Value};

    /// A networked device, generic over its schema extensions like `User<E>`.
    #[derive(ScimResource, Clone, Debug, Default, PartialEq)]
    #[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
    pub struct Device<E: ExtensionSet = ()> {
        /// Server-assigned id.
        pub id: Option<String>,
        /// Client-assigned id.
        pub external_id: Option<String>,
        /// Resource metadata.
        pub meta: Option<scim_client::model::Meta>,
        /// The serial number.
        #[scim(required, case_exact, uniqueness = "server")]
        pub serial_number: String,
        /// The device's network interfaces.
        pub interfaces: Vec<Interface>,
        /// Where the device is documented.
        #[scim(reference_types = ["external"])]
        pub manual: Option<Reference>,
        /// The schema extensions.
        #[scim(extension)]
        pub extensions: Extensions<E>,
        /// Attributes this type does not model.
        #[scim(unknown)]
        pub unknown: Map<String, Value>,
        /// Local bookkeeping, never sent.
        #[scim(skip)]
        pub fetched_at: Option<u64>,
    }

    /// A printer, with one optional extension.
    #[derive(ScimResource, Clone, Debug)]
    #[scim(
        schema = "urn:example:params:scim:schemas:2.0:Printer",
        endpoint = "/Printers"
    )]
    pub struct Printer {
        /// Server-assigned id.
        pub id: Option<String>,
        /// Pages printed so far.
        #[scim(mutability = "readOnly")]
        pub page_count: Option<i64>,
        /// The vendor's extension.
        #[scim(extension, required)]
        pub vendor: Option<Vendor>,
    }

    /// The vendor's extension.
    #[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
    #[scim(schema = "urn:example:params:scim:schemas:extension:vendor:2.0:Device")]
    pub struct Vendor {
        /// The vendor's asset tag.
        pub asset_tag: Option<String>,
        /// Attributes this type does not model.
        #[scim(unknown)]
        pub unknown: Map<String, Value>,
    }

    /// A network interface.
    #[derive(ScimComplex, Clone, Debug, Default, PartialEq)]
    pub struct Interface {
        /// The MAC address.
        pub value: Option<String>,
        /// The kind of interface.
        #[scim(canonical_values = ["ethernet", "wifi"])]
        pub r#type: Option<String>,
        /// Whether this is the main interface.
        pub primary: Option<bool>,
    }
}

#[cfg(test)]
mod tests {
    use scim_client::Resource;
    use scim_client::codec::{self, Context};
    use serde_json::json;

    use crate::model::{Device, Interface, Printer, Vendor};

    #[test]
    fn round_trips() {
        let json = json!({
            "schemas": [
                "urn:example:params:scim:schemas:2.0:Device",
                "urn:example:params:scim:schemas:extension:vendor:2.0:Device"
            ],
            "id": "d1",
            "serialNumber": "X-1",
            "interfaces": [{"value": "aa:bb", "type": "wifi", "primary": true}],
            "manual": "https://example.com/manual",
            "urn:example:params:scim:schemas:extension:vendor:2.0:Device": {"assetTag": "A7"},
            "color": "grey"
        });
        let device: Device<Vendor> =
            codec::from_value(json.clone(), Context::QueryResponse).expect("a valid device");
        assert_eq!(device.serial_number, "X-1");
        assert_eq!(device.interfaces[0].r#type.as_deref(), Some("wifi"));
        assert_eq!(
            device
                .extensions
                .get::<Vendor>()
                .and_then(|v| v.asset_tag.as_deref()),
            Some("A7")
        );
        assert_eq!(device.unknown.get("color"), Some(&json!("grey")));
        assert_eq!(device.fetched_at, None);
        assert_eq!(
            codec::to_value(&device, Context::Default).expect("serializes"),
            json
        );

        let printer = Printer {
            id: Some("p1".into()),
            page_count: Some(12),
            vendor: Some(Vendor {
                asset_tag: Some("B2".into()),
                ..Vendor::default()
            }),
        };
        let body = codec::to_value(&printer, Context::CreateRequest).expect("valid");
        assert_eq!(
            body,
            json!({
                "schemas": [
                    "urn:example:params:scim:schemas:2.0:Printer",
                    "urn:example:params:scim:schemas:extension:vendor:2.0:Device"
                ],
                "urn:example:params:scim:schemas:extension:vendor:2.0:Device": {"assetTag": "B2"}
            })
        );
        assert_eq!(Printer::ENDPOINT, "/Printers");
        assert_eq!(<Device>::ENDPOINT, "/Devices");
        let _ = Interface::default();
    }
}
