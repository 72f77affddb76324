// The type is used everywhere a working derive would allow: only the derive's own error shows.
use scim_client::codec::{self, Context};
use scim_client::{Resource, ScimResource};

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    pub id: Option<String>,
    #[scim(mutability = "readonly")]
    pub serial_number: Option<String>,
}

fn main() {
    let d = Device {
        id: None,
        serial_number: None,
    };
    let _ = codec::to_value(&d, Context::CreateRequest);
    let _: Result<Device, _> = codec::from_slice(b"{}", Context::QueryResponse);
    let _ = <Device as Resource>::SCHEMA.attribute("serialNumber");
    let _ = (Device::ENDPOINT, Device::RESOURCE_TYPE, d.id(), d.schemas());
    let _ = serde_json::to_string(&d);
    let _: Vec<Device> = serde_json::from_str("[]").unwrap();
}
