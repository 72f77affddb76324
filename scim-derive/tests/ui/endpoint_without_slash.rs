use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Device",
    endpoint = "Devices"
)]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
