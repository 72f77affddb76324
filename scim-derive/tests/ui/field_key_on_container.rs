use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device", required)]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
