use scim_client::ScimResource;
use serde_json::{Map, Value};

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    pub id: Option<String>,
    #[scim(extension, unknown)]
    pub extra: Map<String, Value>,
}

fn main() {}
