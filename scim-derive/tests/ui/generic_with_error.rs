// A generic resource with an error: the stub impls keep the type usable, so only the derive's
// own error shows.
use scim_client::codec::{self, Context};
use scim_client::{ExtensionSet, Extensions, Resource, ScimResource};

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device<E: ExtensionSet = ()> {
    pub id: Option<String>,
    #[scim(mutability = "readonly")]
    pub serial_number: Option<String>,
    #[scim(extension)]
    pub extensions: Extensions<E>,
}

fn main() {
    let d: Device = codec::from_slice(b"{}", Context::QueryResponse).unwrap();
    let _ = codec::to_value(&d, Context::CreateRequest);
    let _ = <Device as Resource>::SCHEMA;
    let _: Device = serde_json::from_str("{}").unwrap();
}
